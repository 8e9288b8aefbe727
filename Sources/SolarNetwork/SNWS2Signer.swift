import Essentials
import FoundationEssentials
import WebhookAuth

/// Signs SolarUser API requests with SolarNetwork's SNWS2 scheme (solarnetwork.md §2).
///
/// Why its own type: every detail changes the signature (raw path with `/solaruser`, decoded sorted
/// query, trimmed header values, body hash always on line 6, no spaces in `Authorization`), and the
/// server answers only "Invalid Signature value". The canonical request is exposed for `--verbose`.
/// The signing key is cached per UTC day.
public struct SNWS2Signer: Sendable, CustomReflectable {
    /// Which date header to send and sign.
    public enum DateHeaderName: String, Sendable, CaseIterable {
        /// `X-SN-Date` (default; proxies and HTTP clients leave it alone).
        case xSnDate = "x-sn-date"
        /// `Date`.
        case date
    }

    /// Everything a client sends for one signed request.
    public struct SignedHeaders: Sendable {
        /// All headers to send, in order: `Host`, the date header, `Content-Type`, `Digest`, the caller's
        /// extra headers, `Authorization`.
        public var headers: [(name: String, value: String)]
        /// The signed header names (lower-case, sorted).
        public var signedHeaderNames: [String]
        /// The canonical request (for diagnostics; contains no secret).
        public var canonicalRequest: String
        /// The `Authorization` value.
        public var authorization: String

        /// The value of the first header named `name` (case-insensitive).
        public func value(_ name: String) -> String? {
            let wanted = name.lowercased()
            return headers.first(where: { $0.name.lowercased() == wanted })?.value
        }
    }

    static let algorithm = "SNWS2-HMAC-SHA256"
    /// The Content-Type ecbridge sends with JSON bodies (signed).
    public static let jsonContentType = "application/json;charset=UTF-8"

    public let credentials: SNWS2Credentials
    private let cache = SNWS2SigningKeyCache()

    public init(credentials: SNWS2Credentials) {
        self.credentials = credentials
    }

    /// Shows the (redacted) credentials only, never the cached signing key.
    public var customMirror: Mirror { Mirror(self, children: ["credentials": credentials]) }

    // MARK: - Algorithm steps

    /// `HMAC(HMAC("SNWS2" + secret, yyyyMMdd), "snws2_request")` for the UTC day of `date`; cached per day.
    public func signingKey(for date: Date) -> [UInt8] {
        cache.key(day: SNWS2DateFormat.dayNumber(date)) {
            Self.deriveSigningKey(secret: credentials.secret, day: SNWS2DateFormat.day(date))
        }
    }

    static func deriveSigningKey(secret: String, day: String) -> [UInt8] {
        let kDate = HMACSHA256.mac(key: Array(("SNWS2" + secret).utf8), message: Array(day.utf8))
        return HMACSHA256.mac(key: kDate, message: Array("snws2_request".utf8))
    }

    /// The six-line canonical request. `signedHeaders` are normalised (lower-case, sorted, de-duplicated;
    /// `date` dropped when `x-sn-date` is also listed, as the server does); a listed header that is absent
    /// contributes an empty value.
    public func canonicalRequest(_ r: SNWS2Request, signedHeaders: [String]) -> String {
        let names = Self.normalizedSignedHeaders(signedHeaders)
        var text = r.method.uppercased() + "\n" + r.path + "\n" + SNWS2QueryEncoding.canonical(r.query) + "\n"
        for name in names {
            text += name + ":" + Self.canonicalHeaderValue(r.header(name) ?? "") + "\n"
        }
        text += names.joined(separator: ";") + "\n"
        text += Hex.encode(r.bodySHA256 ?? SHA256.hash(r.body))
        return text
    }

    /// `SNWS2-HMAC-SHA256\n<yyyyMMdd'T'HHmmss'Z'>\n<hex SHA-256 of the canonical request>`.
    public func stringToSign(canonicalRequest: String, date: Date) -> String {
        Self.algorithm + "\n" + SNWS2DateFormat.timestamp(date) + "\n" + SHA256.hex(Array(canonicalRequest.utf8))
    }

    /// Lower-case hex HMAC-SHA256 of the string to sign under the day's signing key (64 characters).
    public func signature(stringToSign: String, date: Date) -> String {
        Hex.encode(HMACSHA256.mac(key: signingKey(for: date), message: Array(stringToSign.utf8)))
    }

    /// `SNWS2 Credential=<token>,SignedHeaders=<h1;h2>,Signature=<hex>` for `r`. Without `signedHeaders`,
    /// every header of `r` is signed.
    public func authorization(for r: SNWS2Request, signedHeaders: [String]? = nil) -> String {
        let names = Self.normalizedSignedHeaders(signedHeaders ?? r.headers.map(\.0))
        let canonical = canonicalRequest(r, signedHeaders: names)
        let sts = stringToSign(canonicalRequest: canonical, date: r.date)
        return Self.authorizationValue(token: credentials.token, signedHeaders: names,
                                       signature: signature(stringToSign: sts, date: r.date))
    }

    static func authorizationValue(token: String, signedHeaders: [String], signature: String) -> String {
        "SNWS2 Credential=\(token),SignedHeaders=\(signedHeaders.joined(separator: ";")),Signature=\(signature)"
    }

    // MARK: - Client convenience

    /// All headers to send for a request to `url`.
    ///
    /// Signs `host` (the URL's host, with the port only when it is not the scheme's default; a `Host` in
    /// `headers` overrides it, e.g. behind a proxy), the date header (`date` truncated to whole seconds),
    /// `Content-Type` (`application/json;charset=UTF-8` when there is a body and `headers` gives none),
    /// `Digest: sha-256=<Base64>` when `digest` is true, and any `Content-MD5` or `X-SN-*` header in
    /// `headers`. Other extra headers are sent unsigned. A caller's `Authorization` or copy of the chosen
    /// date header is replaced.
    public func sign(method: String, url: URL, body: [UInt8], date: Date, headers: [(String, String)] = [],
                     digest: Bool = false, dateHeader: DateHeaderName = .xSnDate) -> SignedHeaders {
        let when = SNWS2DateFormat.truncated(date)
        let components = URLComponents(url: url, resolvingAgainstBaseURL: false)
        var path = components?.percentEncodedPath ?? ""
        if path.isEmpty { path = "/" }
        let query = components?.percentEncodedQuery.map(SNWS2QueryEncoding.decodeQuery) ?? []

        func has(_ name: String) -> Bool { headers.contains { $0.0.lowercased() == name } }
        var out: [(name: String, value: String)] = []
        if let host = headers.first(where: { $0.0.lowercased() == "host" }) {
            out.append((host.0, host.1))
        } else {
            out.append(("Host", Self.hostHeader(components)))
        }
        out.append((dateHeader == .xSnDate ? "X-SN-Date" : "Date", SNWS2DateFormat.httpDate(when)))
        if !body.isEmpty && !has("content-type") {
            out.append(("Content-Type", Self.jsonContentType))
        }
        if digest && !has("digest") {
            out.append(("Digest", "sha-256=" + Base64.encode(SHA256.hash(body))))
        }
        for (name, value) in headers {
            let lower = name.lowercased()
            if lower == "host" || lower == "authorization" || lower == dateHeader.rawValue { continue }
            out.append((name, value))
        }

        let signed = Self.normalizedSignedHeaders(out.map(\.name).filter { name in
            let lower = name.lowercased()
            return lower == "host" || lower == dateHeader.rawValue || lower == "content-type"
                || lower == "content-md5" || lower == "digest" || lower.hasPrefix("x-sn-")
        })
        let request = SNWS2Request(method: method, path: path, query: query,
                                   headers: out.map { ($0.name, $0.value) }, body: body, date: when)
        let canonical = canonicalRequest(request, signedHeaders: signed)
        let sts = stringToSign(canonicalRequest: canonical, date: when)
        let authorization = Self.authorizationValue(token: credentials.token, signedHeaders: signed,
                                                    signature: signature(stringToSign: sts, date: when))
        out.append(("Authorization", authorization))
        return SignedHeaders(headers: out, signedHeaderNames: signed, canonicalRequest: canonical,
                             authorization: authorization)
    }

    // MARK: - Helpers

    static func normalizedSignedHeaders(_ names: [String]) -> [String] {
        var set = Set(names.map { $0.trimmingWhitespace().lowercased() }.filter { !$0.isEmpty })
        if set.contains(DateHeaderName.xSnDate.rawValue) { set.remove(DateHeaderName.date.rawValue) }
        return set.sorted()
    }

    /// Trimmed, with runs of spaces collapsed to one (as the Java builder does).
    static func canonicalHeaderValue(_ value: String) -> String {
        value.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
            .trimmingWhitespace()
    }

    /// The `Host` value for a URL: host, plus `:port` unless it is the scheme's default.
    static func hostHeader(_ components: URLComponents?) -> String {
        var host = components?.percentEncodedHost ?? ""
        if host.contains(":") && !host.hasPrefix("[") { host = "[" + host + "]" }
        guard let port = components?.port else { return host }
        let defaultPort: Int?
        switch components?.scheme?.lowercased() {
        case "http", "ws": defaultPort = 80
        case "https", "wss": defaultPort = 443
        default: defaultPort = nil
        }
        return port == defaultPort ? host : "\(host):\(port)"
    }
}
