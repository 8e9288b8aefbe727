import FoundationEssentials
import SolarNetwork

/// The SolarNetwork stand-in's single-token `SNWS2Verifier`, checked against the server clock.
struct SNWS2VerifierAdapter: Sendable {
    private let verifier: SNWS2Verifier

    init(token: String, secret: String, maxDateSkew: Double) {
        verifier = SNWS2Verifier(maxDateSkew: maxDateSkew) { $0 == token ? secret : nil }
    }

    func verify(method: String, path: String, rawQuery: String?, headers: [(String, String)],
                body: [UInt8]) -> Result<String, SNWS2Verifier.Failure> {
        verifier.verify(method: method, path: path, rawQuery: rawQuery, headers: headers, body: body, now: Date())
    }
}
