import Foundation
import Testing
import Essentials
import WebhookAuth
@testable import SolarNetwork

/// The client convenience `sign(method:url:…)`, checked against the URL-shaped cases of snws2.json
/// (expected Authorization values copied here as literals from that file), plus formatting, query
/// encoding, caching and redaction.
@Suite struct SNWS2SignerTests {
    let signer = SNWS2Signer(credentials: SNWS2Credentials(token: "test-token-id", secret: "test-token-secret"))
    let date = Date(timeIntervalSince1970: 1_493_130_600)  // 2017-04-25T14:30:00Z

    func url(_ text: String) throws -> URL { try #require(URL(string: text)) }

    // MARK: sign() against vectors

    @Test(arguments: ["http://example.com/path", "https://example.com:443/path", "wss://example.com:443/path", "https://example.com/path"])
    func urlCaseStandardPortsAreDropped(_ text: String) throws {
        // snws2.json case "url"
        let out = signer.sign(method: "GET", url: try url(text), body: [], date: date, headers: [], digest: false, dateHeader: .date)
        #expect(out.value("host") == "example.com")
        #expect(out.authorization == "SNWS2 Credential=test-token-id,SignedHeaders=date;host,Signature=0ba4f4469e9e0d48b7ca046e189032881c08e67a00c007fadb00242c4301fe31")
        #expect(out.headers.map(\.name) == ["Host", "Date", "Authorization"])
    }

    @Test func urlQueryParamsCaseKeepsNonStandardPort() throws {
        // snws2.json case "url:queryParams"
        let out = signer.sign(method: "GET", url: try url("https://example.com:8443/path?foo=bar&bim=bam"), body: [], date: date,
                              headers: [], digest: false, dateHeader: .date)
        #expect(out.value("Host") == "example.com:8443")
        #expect(out.canonicalRequest.contains("\nbim=bam&foo=bar\n"))
        #expect(out.authorization == "SNWS2 Credential=test-token-id,SignedHeaders=date;host,Signature=c3a429e748d2ecd1f734c5a9f562e0c353f4a0d9a48a9492c0637178bb1f15dc")
    }

    @Test func wsNonStandardPortCase() throws {
        let out = signer.sign(method: "GET", url: try url("ws://example.com:8080/path"), body: [], date: date, headers: [], digest: false, dateHeader: .date)
        #expect(out.authorization == "SNWS2 Credential=test-token-id,SignedHeaders=date;host,Signature=6d5ca23447d47afaee7b4e42680b3a6bfaf0e23aa410d2b9f27f54f14d63f7a7")
    }

    @Test func hostOverrideCase() throws {
        // snws2.json case "simpleGet:proxy": sent through a proxy, signed for the environment host.
        let out = signer.sign(method: "GET", url: try url("https://proxy.example.com:8443/api/test"), body: [], date: date,
                              headers: [("Host", "data.solarnetwork.net")], digest: false, dateHeader: .xSnDate)
        #expect(out.authorization == "SNWS2 Credential=test-token-id,SignedHeaders=host;x-sn-date,Signature=e70f99fd237e74912ac594b70bda27a84c1d41c4a3c7050d80c729496c7bff1f")
    }

    @Test func instrViewDerivedCase() throws {
        let out = signer.sign(method: "GET", url: try url("https://data.solarnetwork.net/solaruser/api/v1/sec/instr/view?id=123"),
                              body: [], date: date.addingTimeInterval(0.75), headers: [], digest: false, dateHeader: .xSnDate)
        #expect(out.headers.map(\.name) == ["Host", "X-SN-Date", "Authorization"])
        #expect(out.value("x-sn-date") == "Tue, 25 Apr 2017 14:30:00 GMT")
        #expect(out.authorization == "SNWS2 Credential=test-token-id,SignedHeaders=host;x-sn-date,Signature=7890e62a931c25cc3f5eb738dc65adb0daf7b34d0c5538857e25b4edf5651b9a")
    }

    static let ocppBody = #"{"nodeId":123,"params":{"action":"ClearChargingProfile","chargePointId":"5","msg":"{\"connectorId\":1}"}}"#

    @Test func instrAddWithDigestDerivedCase() throws {
        let out = signer.sign(method: "POST", url: try url("https://data.solarnetwork.net/solaruser/api/v1/sec/instr/add/OCPP_v16"),
                              body: bytes(Self.ocppBody), date: date, headers: [("Accept", "application/json")], digest: true, dateHeader: .xSnDate)
        #expect(out.headers.map(\.name) == ["Host", "X-SN-Date", "Content-Type", "Digest", "Accept", "Authorization"])
        #expect(out.value("content-type") == "application/json;charset=UTF-8")
        #expect(out.value("digest") == "sha-256=MZ+Q8/bySC9l7hb780C8f+7+8B06B5dOYbFVN30fh7o=")
        #expect(out.signedHeaderNames == ["content-type", "digest", "host", "x-sn-date"])
        #expect(out.authorization == "SNWS2 Credential=test-token-id,SignedHeaders=content-type;digest;host;x-sn-date,Signature=25ad9691b1996d69e1370f0c246cf27aff71ecb6585482dc7bf159f0a86d2f43")
        #expect(out.value("authorization") == out.authorization)
    }

    @Test func instrAddWithoutDigestDerivedCase() throws {
        let out = signer.sign(method: "post", url: try url("https://data.solarnetwork.net/solaruser/api/v1/sec/instr/add/OCPP_v16"),
                              body: bytes(Self.ocppBody), date: date, headers: [], digest: false, dateHeader: .xSnDate)
        #expect(out.value("digest") == nil)
        #expect(out.authorization == "SNWS2 Credential=test-token-id,SignedHeaders=content-type;host;x-sn-date,Signature=8bb8a3a6b88dd2831db4b4dd67e1abf7f99cc909ecf03c385f9ba8a97c3d552c")
    }

    @Test func multiValueQueryDerivedCase() throws {
        let out = signer.sign(method: "GET", url: try url("https://data.solarnetwork.net/solaruser/api/v1/sec/instr?states=Queued&nodeIds=123&states=Received"),
                              body: [], date: date, headers: [], digest: false, dateHeader: .xSnDate)
        #expect(out.canonicalRequest.contains("\nnodeIds=123&states=Queued&states=Received\n"))
        #expect(out.authorization == "SNWS2 Credential=test-token-id,SignedHeaders=host;x-sn-date,Signature=139fcae5bc61c06bcbedc40f03f2da5786fca8f60eef8c5fa773761d8340c223")
    }

    @Test func escapedQueryCaseViaURL() throws {
        // snws2.json case "queryParamsWithEscapedCharacters", sent percent-encoded on the wire.
        let out = signer.sign(method: "GET", url: try url("http://localhost/api/query?foo=%2Fpath%2F*"), body: [], date: date,
                              headers: [], digest: false, dateHeader: .xSnDate)
        #expect(out.canonicalRequest.contains("\nfoo=%2Fpath%2F%2A\n"))
        #expect(out.authorization == "SNWS2 Credential=test-token-id,SignedHeaders=host;x-sn-date,Signature=6e5ae54fe70543a590335a5ab9a29dc089dba4ac75fe15875e716f226c74b6e0")
    }

    @Test func extraHeadersXSNAndContentMD5AreSignedOthersNot() throws {
        let out = signer.sign(method: "GET", url: try url("https://data.solarnetwork.net/x"), body: [], date: date,
                              headers: [("X-SN-Foo", "a"), ("Content-MD5", "m"), ("User-Agent", "ecbridge"), ("Authorization", "old"), ("X-SN-Date", "stale")],
                              digest: false, dateHeader: .xSnDate)
        #expect(out.signedHeaderNames == ["content-md5", "host", "x-sn-date", "x-sn-foo"])
        #expect(out.headers.filter { $0.name.lowercased() == "authorization" }.count == 1)
        #expect(out.headers.filter { $0.name.lowercased() == "x-sn-date" }.map(\.value) == ["Tue, 25 Apr 2017 14:30:00 GMT"])
    }

    @Test func emptyPathBecomesSlashAndRawPathIsKept() throws {
        let a = signer.sign(method: "GET", url: try url("https://example.com"), body: [], date: date, headers: [], digest: false, dateHeader: .xSnDate)
        #expect(a.canonicalRequest.hasPrefix("GET\n/\n\n"))
        let b = signer.sign(method: "GET", url: try url("https://example.com/a%20b/c"), body: [], date: date, headers: [], digest: false, dateHeader: .xSnDate)
        #expect(b.canonicalRequest.hasPrefix("GET\n/a%20b/c\n\n"))
    }

    // MARK: canonical rules

    @Test func queryCanonicalisation() {
        #expect(SNWS2QueryEncoding.canonical([]) == "")
        #expect(SNWS2QueryEncoding.canonical([("b", "2"), ("a", "1"), ("b", "1")]) == "a=1&b=2&b=1")
        #expect(SNWS2QueryEncoding.canonical([("q", "a b+c~d-e_f.g")]) == "q=a%20b%2Bc~d-e_f.g")
        #expect(SNWS2QueryEncoding.canonical([("ø", "€")]) == "%C3%B8=%E2%82%AC")
        #expect(SNWS2QueryEncoding.canonical([("B", "1"), ("a", "2")]) == "B=1&a=2")  // code-unit order
        #expect(SNWS2QueryEncoding.decodeQuery("a=1+2&b=%2F&c&&d=%zz").map { "\($0.0)|\($0.1)" } == ["a|1 2", "b|/", "c|", "d|%zz"])
    }

    @Test func headerValuesAreTrimmedAndSpaceRunsCollapsed() {
        let r = SNWS2Request(method: "get", path: "/p", headers: [("Host", "  h  "), ("X-SN-Date", "Tue,  25 Apr 2017   14:30:00 GMT ")], date: date)
        let canonical = signer.canonicalRequest(r, signedHeaders: ["X-SN-Date", "host", "host"])
        #expect(canonical == "GET\n/p\n\nhost:h\nx-sn-date:Tue, 25 Apr 2017 14:30:00 GMT\nhost;x-sn-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test func dateIsDroppedWhenXSNDateIsAlsoSigned() {
        let r = SNWS2Request(method: "GET", path: "/p", headers: [("Host", "h"), ("Date", "x"), ("X-SN-Date", "y")], date: date)
        #expect(signer.authorization(for: r).contains("SignedHeaders=host;x-sn-date,"))
    }

    @Test func bodyHashIsAlwaysLineSix() {
        let r = SNWS2Request(method: "POST", path: "/p", headers: [("Host", "h")], body: bytes("Hello."), date: date)
        #expect(signer.canonicalRequest(r, signedHeaders: ["host"]).hasSuffix("\n2d8bd7d9bb5f85ba643f0110d50cb506a1fe439e769a22503193ea6046bb87f7"))
    }

    // MARK: dates

    @Test func dateFormats() throws {
        #expect(SNWS2DateFormat.httpDate(date) == "Tue, 25 Apr 2017 14:30:00 GMT")
        #expect(SNWS2DateFormat.day(date) == "20170425")
        #expect(SNWS2DateFormat.timestamp(date) == "20170425T143000Z")
        let epoch = Date(timeIntervalSince1970: 0)
        #expect(SNWS2DateFormat.httpDate(epoch) == "Thu, 01 Jan 1970 00:00:00 GMT")
        let leap = try #require(Timestamp.parse("2024-02-29T23:59:59.999Z"))
        #expect(SNWS2DateFormat.httpDate(leap) == "Thu, 29 Feb 2024 23:59:59 GMT")
        #expect(SNWS2DateFormat.timestamp(leap) == "20240229T235959Z")
        let before = Date(timeIntervalSince1970: -1)
        #expect(SNWS2DateFormat.httpDate(before) == "Wed, 31 Dec 1969 23:59:59 GMT")
        #expect(SNWS2DateFormat.truncated(date.addingTimeInterval(0.9)) == date)
    }

    @Test func dateFormatMatchesAnEnglishDateFormatterAcrossWeekdays() {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        for day in 0..<40 {
            let d = date.addingTimeInterval(Double(day) * 86_400 * 9 + 3_601)
            #expect(SNWS2DateFormat.httpDate(d) == formatter.string(from: d))
        }
    }

    // MARK: key cache and secrecy

    @Test func signingKeyIsPerUTCDay() {
        let morning = Date(timeIntervalSince1970: 1_493_078_400)  // 2017-04-25T00:00:00Z
        let key = signer.signingKey(for: morning)
        #expect(Hex.encode(key) == "bf7885e8bd107a79f5c6e13001a4fa15fbd43221ad39ca47fde96191d302dbf4")
        #expect(signer.signingKey(for: morning.addingTimeInterval(86_399)) == key)
        #expect(signer.signingKey(for: morning.addingTimeInterval(86_400)) != key)
        #expect(signer.signingKey(for: morning) == key)
    }

    @Test func signingKeyCacheIsSafeUnderConcurrency() async {
        let signer = self.signer
        let base = date
        let keys = await withTaskGroup(of: [UInt8].self) { group in
            for i in 0..<16 {
                group.addTask { signer.signingKey(for: base.addingTimeInterval(Double(i % 2) * 86_400)) }
            }
            var out: [[UInt8]] = []
            for await key in group { out.append(key) }
            return out
        }
        #expect(Set(keys.map(Hex.encode)).count == 2)
    }

    @Test func credentialsNeverShowTheSecret() {
        let credentials = SNWS2Credentials(token: "tok", secret: "very-secret")
        var dumped = ""
        dump(SNWS2Signer(credentials: credentials), to: &dumped)
        for text in [String(describing: credentials), String(reflecting: credentials), "\(credentials)", dumped] {
            #expect(!text.contains("very-secret"))
        }
        #expect(String(describing: credentials).contains("tok"))
    }
}
