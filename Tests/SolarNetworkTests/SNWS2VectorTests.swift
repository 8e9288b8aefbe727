import Foundation
import Testing
import Essentials
import WebhookAuth
@testable import SolarNetwork

/// Every case of Fixtures/snws2.json: the official cases, the signing-key cases and the derived cases for
/// ecbridge's own requests. Expectations are read from the file: official values under `expected`, derived
/// ones under `derived` (or at case level for the derived cases).
@Suite struct SNWS2VectorTests {
    static let officialNames = [
        "simpleGet", "xSnDate", "queryParams", "simplePost", "postJsonWithSnDate", "simpleGet:proxy",
        "simpleGetWithNullContentType", "queryParamsWithEscapedCharacters", "url", "url:withoutHost",
        "url:queryParams", "url:httpsImpliedPort:forced:https", "url:wsNonStandardPort", "simplePost:contentMD5",
        "simplePostWithComputedDigest", "key:set",
    ]
    static let derivedNames = ["instr-view", "instr-add-ocpp-with-digest", "instr-add-ocpp-without-digest", "multi-value-query"]

    static func document() throws -> JSON { try Fixture.json("snws2.json") }

    static func signer() throws -> SNWS2Signer {
        let common = try #require(try document()["common_inputs"])
        return SNWS2Signer(credentials: SNWS2Credentials(token: try #require(common["token_id"]?.stringValue),
                                                         secret: try #require(common["token_secret"]?.stringValue)))
    }

    static func requestTime() throws -> Date {
        let text = try #require(try document()["common_inputs"]?["request_time_utc"]?.stringValue)
        return try #require(Timestamp.parse(text))
    }

    /// Builds the request of a case and its signed header names.
    static func request(_ c: JSON) throws -> (SNWS2Request, [String]) {
        let query = try #require(c["query"]?.arrayValue).map { pair -> (String, String) in
            let items = pair.arrayValue ?? []
            return (items.first?.stringValue ?? "", items.dropFirst().first?.stringValue ?? "")
        }
        let headers = try #require(c["signed_headers"]?.objectValue).map { ($0.0, $0.1.stringValue ?? "") }
        let body = c["body"]?.stringValue.map(bytes) ?? []
        var bodyHash: [UInt8]?
        if c["body"]?.stringValue == nil, let hex = c["body_sha256_hex"]?.stringValue {
            let decoded: [UInt8] = try #require(Hex.decode(hex))
            bodyHash = decoded
        }
        let r = SNWS2Request(method: try #require(c["method"]?.stringValue), path: try #require(c["path"]?.stringValue),
                             query: query, headers: headers, body: body, date: try requestTime(), bodySHA256: bodyHash)
        return (r, headers.map(\.0))
    }

    /// Looks a value up under `expected`, then `derived`, then the case itself.
    static func value(_ c: JSON, _ key: String) -> String? {
        c["expected"]?[key]?.stringValue ?? c["derived"]?[key]?.stringValue ?? c[key]?.stringValue
    }

    static func checkCase(_ c: JSON) throws {
        let signer = try signer()
        let (r, names) = try request(c)
        let canonical = signer.canonicalRequest(r, signedHeaders: names)
        let expectedCanonical = try #require(value(c, "canonical_request"))
        #expect(canonical == expectedCanonical)
        if let hash = value(c, "canonical_request_sha256_hex") {
            #expect(SHA256.hex(bytes(canonical)) == hash)
        }
        let sts = signer.stringToSign(canonicalRequest: canonical, date: r.date)
        #expect(sts == (try #require(value(c, "string_to_sign"))))
        #expect(signer.signature(stringToSign: sts, date: r.date) == (try #require(value(c, "signature_hex"))))
        let authorization = signer.authorization(for: r, signedHeaders: names)
        #expect(authorization == (try #require(value(c, "authorization"))))
        #expect(signer.authorization(for: r) == authorization)  // all listed headers are the signed ones
        if let key = value(c, "signing_key_hex") {
            #expect(Hex.encode(signer.signingKey(for: r.date)) == key)
        }
        if let hash = value(c, "body_sha256_hex") {
            #expect(canonical.hasSuffix("\n" + hash))
        }
        // A Digest header carries the Base64 of the same body hash (line 6).
        if let digest = r.header("digest") {
            let hash = r.bodySHA256 ?? SHA256.hash(r.body)
            #expect(digest == "sha-256=" + Base64.encode(hash))
        }
    }

    @Test func fixtureListsExactlyTheseCases() throws {
        let doc = try Self.document()
        #expect(doc["cases"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == Self.officialNames)
        #expect(doc["derived"]?["cases"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == Self.derivedNames)
        #expect(doc["signing_key_cases"]?.arrayValue?.count == 2)
    }

    @Test(arguments: SNWS2VectorTests.officialNames)
    func officialCase(_ name: String) throws {
        let c = try #require(try Self.document()["cases"]?.arrayValue?.first { $0["name"]?.stringValue == name })
        try Self.checkCase(c)
    }

    @Test(arguments: SNWS2VectorTests.derivedNames)
    func derivedCase(_ name: String) throws {
        let c = try #require(try Self.document()["derived"]?["cases"]?.arrayValue?.first { $0["name"]?.stringValue == name })
        try Self.checkCase(c)
    }

    @Test(arguments: [0, 1])
    func signingKeyCase(_ index: Int) throws {
        let cases = try #require(try Self.document()["signing_key_cases"]?.arrayValue)
        let c = cases[index]
        let secret = try #require(c["token_secret"]?.stringValue)
        let day = try #require(c["date"]?.stringValue)
        #expect(Hex.encode(SNWS2Signer.deriveSigningKey(secret: secret, day: day)) == c["expected_signing_key_hex"]?.stringValue)
        let kDate = HMACSHA256.mac(key: bytes("SNWS2" + secret), message: bytes(day))
        #expect(Hex.encode(kDate) == c["derived"]?["k_date_hex"]?.stringValue)
        // Through the public, cached API: noon UTC of that day.
        let date = try #require(Timestamp.parse("\(day.prefix(4))-\(day.dropFirst(4).prefix(2))-\(day.suffix(2))T12:00:00Z"))
        let signer = SNWS2Signer(credentials: SNWS2Credentials(token: "t", secret: secret))
        #expect(Hex.encode(signer.signingKey(for: date)) == c["expected_signing_key_hex"]?.stringValue)
    }

    @Test func commonInputs() throws {
        let common = try #require(try Self.document()["common_inputs"])
        let date = try Self.requestTime()
        #expect(date.timeIntervalSince1970 == 1_493_130_600)
        #expect(SNWS2DateFormat.httpDate(date) == common["date_header_value"]?.stringValue)
        #expect(SHA256.hex([UInt8]()) == common["empty_body_sha256_hex"]?.stringValue)
    }
}
