import Foundation
import Testing
import WebhookAuth
@testable import SolarNetwork

/// The server-side check: what `SNWS2Signer` signs verifies, official vectors verify, and every kind of
/// tampering is refused with SolarNetwork's message (solarnetwork.md §2.8).
@Suite struct SNWS2VerifierTests {
    let token = "test-token-id"
    let secret = "test-token-secret"
    let date = Date(timeIntervalSince1970: 1_493_130_600)  // 2017-04-25T14:30:00Z
    var verifier: SNWS2Verifier {
        let token = self.token, secret = self.secret
        return SNWS2Verifier { $0 == token ? secret : nil }
    }
    var signer: SNWS2Signer { SNWS2Signer(credentials: SNWS2Credentials(token: token, secret: secret)) }

    struct Sent {
        var method: String
        var path: String
        var query: String?
        var headers: [(String, String)]
        var body: [UInt8]

        func replacing(_ name: String, with value: String) -> Sent {
            var copy = self
            copy.headers = headers.map { $0.0.lowercased() == name.lowercased() ? ($0.0, value) : $0 }
            return copy
        }
    }

    func signed(_ method: String = "POST", _ url: String = "http://127.0.0.1:9101/solaruser/api/v1/sec/instr/add/OCPP_v16?x=a%20b",
                body: String = "{\"nodeId\":123}", digest: Bool = false, extra: [(String, String)] = [],
                at: Date? = nil) throws -> Sent {
        let parsed = try #require(URL(string: url))
        let out = signer.sign(method: method, url: parsed, body: Array(body.utf8), date: at ?? date, headers: extra, digest: digest)
        let components = try #require(URLComponents(url: parsed, resolvingAgainstBaseURL: false))
        return Sent(method: method, path: components.percentEncodedPath, query: components.percentEncodedQuery,
                    headers: out.headers.map { ($0.name, $0.value) }, body: Array(body.utf8))
    }

    func check(_ sent: Sent, now: Date? = nil, verifier custom: SNWS2Verifier? = nil) -> Result<String, SNWS2Verifier.Failure> {
        (custom ?? verifier).verify(method: sent.method, path: sent.path, rawQuery: sent.query, headers: sent.headers,
                                    body: sent.body, now: now ?? date)
    }

    func failure(_ result: Result<String, SNWS2Verifier.Failure>) -> String? {
        if case .failure(let failure) = result { return failure.message }
        return nil
    }

    // MARK: accepted

    @Test func signerOutputVerifies() throws {
        #expect(try check(signed()) == .success(token))
        #expect(try check(signed(digest: true)) == .success(token))
        #expect(try check(signed("GET", "http://localhost/solaruser/api/v1/sec/instr/view?id=7", body: "")) == .success(token))
    }

    @Test func officialVectorVerifies() {
        // snws2.json case "postJsonWithSnDate" (solarnetwork-common Snws2AuthorizationBuilderTests), literal copy.
        let sent = Sent(method: "POST", path: "/api/post", query: nil, headers: [
            ("Host", "localhost"), ("X-SN-Date", "Tue, 25 Apr 2017 14:30:00 GMT"),
            ("Content-Type", "application/json; charset=UTF-8"),
            ("Digest", "sha-256=k6I5cakU5erL8KjSUVTNownDwccvu5kU1Hxg88toFYg="),
            ("Authorization", "SNWS2 Credential=test-token-id,SignedHeaders=content-type;digest;host;x-sn-date,Signature=17b50462a9db77e569bd74676c550c447be07f605f191a39ca481efaa15e9879"),
        ], body: Array("{\"hello\":\"world\"}".utf8))
        #expect(check(sent) == .success("test-token-id"))
    }

    @Test func signingKeyOfEarlierDayIsAccepted() throws {
        // A client that cached the key of 3 days ago signs today's request with it.
        var sent = try signed("GET", "http://localhost/solaruser/api/v1/sec/whoami", body: "")
        let request = SNWS2Request(method: "GET", path: sent.path, headers: sent.headers, date: date)
        let names = ["host", "x-sn-date"]
        let sts = signer.stringToSign(canonicalRequest: signer.canonicalRequest(request, signedHeaders: names), date: date)
        let oldKey = SNWS2Signer.deriveSigningKey(secret: secret, day: SNWS2DateFormat.day(date.addingTimeInterval(-3 * 86_400)))
        let signature = Hex.encode(HMACSHA256.mac(key: oldKey, message: Array(sts.utf8)))
        sent = sent.replacing("Authorization", with: "SNWS2 Credential=\(token),SignedHeaders=host;x-sn-date,Signature=\(signature)")
        #expect(check(sent) == .success(token))
        let strict = SNWS2Verifier(signingKeyMaxAgeDays: 2) { _ in self.secret }
        #expect(failure(check(sent, verifier: strict)) == "Invalid Signature value")
    }

    // MARK: tampering

    @Test func tamperedBodyPathQueryHeaderFail() throws {
        let good = try signed(extra: [("X-SN-Trace", "abc")])
        var body = good
        body.body = Array("{\"nodeId\":124}".utf8)
        #expect(failure(check(body)) == "Invalid Signature value")
        var path = good
        path.path = "/solaruser/api/v1/sec/instr/add/OCPP_v201"
        #expect(failure(check(path)) == "Invalid Signature value")
        var query = good
        query.query = "x=a%20c"
        #expect(failure(check(query)) == "Invalid Signature value")
        #expect(failure(check(good.replacing("X-SN-Trace", with: "abd"))) == "Invalid Signature value")
        #expect(failure(check(good.replacing("Host", with: "127.0.0.1:9102"))) == "Invalid Signature value")
        #expect(failure(check(good.replacing("X-SN-Date", with: "Tue, 25 Apr 2017 14:30:01 GMT"))) == "Invalid Signature value")
    }

    @Test func equivalentQueryEncodingStillVerifies() throws {
        var sent = try signed()
        sent.query = "x=a+b"  // the server signs decoded parameters
        #expect(check(sent) == .success(token))
    }

    @Test func unknownCredentialIsBadCredentials() throws {
        let other = SNWS2Signer(credentials: SNWS2Credentials(token: "someone-else", secret: secret))
        let out = other.sign(method: "GET", url: try #require(URL(string: "http://localhost/a")), body: [], date: date)
        let sent = Sent(method: "GET", path: "/a", query: nil, headers: out.headers.map { ($0.name, $0.value) }, body: [])
        #expect(failure(check(sent)) == "Bad credentials")
        let wrongSecret = SNWS2Verifier { _ in "not-the-secret" }
        #expect(failure(check(try signed(), verifier: wrongSecret)) == "Invalid Signature value")
    }

    @Test func dateSkewIsLimited() throws {
        let sent = try signed()
        #expect(check(sent, now: date.addingTimeInterval(899)) == .success(token))
        #expect(failure(check(sent, now: date.addingTimeInterval(901))) == "Date skew too large")
        #expect(failure(check(sent, now: date.addingTimeInterval(-901))) == "Date skew too large")
        let lenient = SNWS2Verifier(maxDateSkew: 3600) { _ in self.secret }
        #expect(check(sent, now: date.addingTimeInterval(1800), verifier: lenient) == .success(token))
    }

    @Test func digestMustMatchTheBody() throws {
        var sent = try signed(digest: true)
        #expect(check(sent) == .success(token))
        sent.body = Array("{\"nodeId\":999}".utf8)
        #expect(failure(check(sent)) == "Content sha-256 digest value mismatch")
    }

    @Test func missingOrBadDateHeader() throws {
        let sent = try signed()
        #expect(failure(check(sent.replacing("X-SN-Date", with: "2017-04-25T14:30:00Z"))) == "Missing or invalid HTTP Date header value")
    }

    // MARK: Authorization header shape

    @Test func missingAuthorizationIsFlagged() throws {
        var sent = try signed()
        sent.headers.removeAll { $0.0 == "Authorization" }
        let result = check(sent)
        guard case .failure(let failure) = result else {
            Issue.record("expected a failure")
            return
        }
        #expect(failure.isMissingAuthorization)
    }

    @Test func strictAuthorizationParsing() throws {
        let sent = try signed()
        let value = sent.headers.first(where: { $0.0 == "Authorization" })?.1 ?? ""
        let spaced = value.replacingOccurrences(of: ",", with: ", ")
        #expect(failure(check(sent.replacing("Authorization", with: spaced))) == "Invalid SignedHeaders value")
        let noCredential = value.replacingOccurrences(of: "Credential=\(token)", with: "Credential=")
        #expect(failure(check(sent.replacing("Authorization", with: noCredential))) == "Invalid Credential value")
        let short = value.dropLast(2)
        #expect(failure(check(sent.replacing("Authorization", with: String(short)))) == "Invalid Signature value")
        #expect(SNWS2Verifier.parseAuthorization("SNWS2 Credential=a,SignedHeaders=host,Signature=\(String(repeating: "0", count: 64))")
                == .failure(.invalidSignedHeaders))
        let parsed = SNWS2Verifier.parseAuthorization("SNWS2 Credential=a,SignedHeaders=host;x-sn-date,Signature=\(String(repeating: "0", count: 64))")
        #expect((try? parsed.get())?.signedHeaders == ["host", "x-sn-date"])
    }

    @Test func requiredSignedHeaders() throws {
        let sent = try signed(extra: [("X-SN-Trace", "abc")])
        let value = sent.headers.first(where: { $0.0 == "Authorization" })?.1 ?? ""
        let signature = String(value.suffix(64))
        func with(_ names: String) -> Sent {
            sent.replacing("Authorization", with: "SNWS2 Credential=\(token),SignedHeaders=\(names),Signature=\(signature)")
        }
        #expect(failure(check(with("content-type;x-sn-date;x-sn-trace"))) == "The 'Host' HTTP header must be included in SignedHeaders")
        #expect(failure(check(with("content-type;host;x-sn-trace"))) == "The 'X-SN-Date' or 'Date' HTTP header must be included in SignedHeaders")
        #expect(failure(check(with("host;x-sn-date;x-sn-trace"))) == "The 'Content-Type' HTTP header must be included in SignedHeaders")
        #expect(failure(check(with("content-type;host;x-sn-date"))) == "The 'X-SN-Trace' HTTP header must be included in SignedHeaders")
    }

    @Test func httpDateParsing() {
        #expect(SNWS2Verifier.parseHTTPDate("Tue, 25 Apr 2017 14:30:00 GMT") == date)
        #expect(SNWS2Verifier.parseHTTPDate("Tue, 25 Apr 2017 14:30:00 UTC") == nil)
        #expect(SNWS2Verifier.parseHTTPDate("Tue, 5 Apr 2017 14:30:00 GMT") == nil)
        #expect(SNWS2Verifier.parseHTTPDate("Tue, 25 Foo 2017 14:30:00 GMT") == nil)
    }
}
