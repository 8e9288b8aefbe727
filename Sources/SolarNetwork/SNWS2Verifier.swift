import Essentials
import FoundationEssentials
import WebhookAuth

/// Checks an SNWS2-signed request the way SolarNetwork's servers do (solarnetwork.md §2.8).
///
/// Why a server side in a client library: the local SolarNetwork stand-in must refuse exactly what the
/// real SolarUser refuses (spaces after commas, an unsigned `Content-Type`, a stale date, a wrong digest),
/// with the same messages, so ecbridge's signing is proven against a strict peer rather than against itself.
/// The signature is recomputed with `SNWS2Signer` from what arrived on the wire.
public struct SNWS2Verifier: Sendable {
    /// Why a request was refused. `message` is the text SolarNetwork puts in `X-SN-ErrorMessage`; it
    /// never contains the secret or the expected signature.
    public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        public var message: String
        /// `true` when there was no `Authorization: SNWS2 …` header at all (the server answers 401 then;
        /// every other failure is a bad-credentials 403 on SolarUser).
        public var isMissingAuthorization: Bool

        public init(_ message: String, isMissingAuthorization: Bool = false) {
            self.message = message
            self.isMissingAuthorization = isMissingAuthorization
        }

        public var description: String { message }

        public static let missingAuthorization = Failure("Full authentication is required to access this resource",
                                                         isMissingAuthorization: true)
        public static let badCredentials = Failure("Bad credentials")
        public static let invalidCredential = Failure("Invalid Credential value")
        public static let invalidSignedHeaders = Failure("Invalid SignedHeaders value")
        public static let invalidSignature = Failure("Invalid Signature value")
        public static let missingDate = Failure("Missing or invalid HTTP Date header value")
        public static let dateSkew = Failure("Date skew too large")
        public static let digestMismatch = Failure("Content sha-256 digest value mismatch")
        public static let hostNotSigned = Failure("The 'Host' HTTP header must be included in SignedHeaders")
        public static let dateNotSigned = Failure("The 'X-SN-Date' or 'Date' HTTP header must be included in SignedHeaders")

        static func headerNotSigned(_ name: String) -> Failure {
            Failure("The '\(name)' HTTP header must be included in SignedHeaders")
        }
    }

    /// A parsed `Authorization: SNWS2 …` value.
    public struct AuthorizationValue: Sendable, Equatable {
        public var credential: String
        public var signedHeaders: [String]
        public var signature: String
    }

    /// Largest accepted distance between the request date and the server clock, in seconds.
    /// Default 900 (15 minutes, SolarNetwork's value).
    public var maxDateSkew: Double
    /// How many days before the request date a signing key may have been derived for (clients may
    /// cache the key). Default 6, as the server.
    public var signingKeyMaxAgeDays: Int
    private let secretForToken: @Sendable (String) -> String?

    /// `secretForToken` answers the secret of a known token id, `nil` for an unknown one.
    public init(maxDateSkew: Double = 900, signingKeyMaxAgeDays: Int = 6,
                secretForToken: @escaping @Sendable (String) -> String?) {
        self.maxDateSkew = maxDateSkew
        self.signingKeyMaxAgeDays = signingKeyMaxAgeDays
        self.secretForToken = secretForToken
    }

    /// Verifies one request and returns the token id it was signed with.
    ///
    /// - Parameters:
    ///   - path: the path exactly as received (still percent-encoded, no query).
    ///   - rawQuery: the query as received (without `?`); it is decoded as the server's parameter map.
    ///   - headers: the request headers as received.
    ///   - now: the server clock.
    public func verify(method: String, path: String, rawQuery: String?, headers: [(String, String)],
                       body: [UInt8], now: Date = Date()) -> Result<String, Failure> {
        func header(_ name: String) -> String? {
            headers.first(where: { $0.0.equalsIgnoringASCIICase(name) })?.1
        }
        guard let raw = header("Authorization"), raw.hasPrefix("SNWS2 ") else { return .failure(.missingAuthorization) }
        let authorization: AuthorizationValue
        switch Self.parseAuthorization(raw) {
        case .success(let value): authorization = value
        case .failure(let failure): return .failure(failure)
        }
        let signed = Set(authorization.signedHeaders.map { $0.lowercased() })
        guard signed.contains("host") else { return .failure(.hostNotSigned) }
        guard signed.contains("x-sn-date") || signed.contains("date") else { return .failure(.dateNotSigned) }
        for (name, _) in headers {
            let lower = name.lowercased()
            let mustSign = lower == "content-type" || lower == "content-md5" || lower == "digest" || lower.hasPrefix("x-sn-")
            if mustSign && !signed.contains(lower) { return .failure(.headerNotSigned(name)) }
        }
        let dateText = signed.contains("x-sn-date") ? header("X-SN-Date") : header("Date")
        guard let dateText, let date = Self.parseHTTPDate(dateText) else { return .failure(.missingDate) }

        if let digest = header("Digest") {
            guard Self.digestMatches(digest, body: body) else { return .failure(.digestMismatch) }
        }
        guard let secret = secretForToken(authorization.credential) else { return .failure(.badCredentials) }
        guard abs(now.timeIntervalSince(date)) <= maxDateSkew else { return .failure(.dateSkew) }

        let signer = SNWS2Signer(credentials: SNWS2Credentials(token: authorization.credential, secret: secret))
        let request = SNWS2Request(method: method, path: path,
                                   query: rawQuery.map(SNWS2QueryEncoding.decodeQuery) ?? [],
                                   headers: headers, body: body, date: date)
        let canonical = signer.canonicalRequest(request, signedHeaders: authorization.signedHeaders)
        let stringToSign = Array(signer.stringToSign(canonicalRequest: canonical, date: date).utf8)
        let presented = Array(authorization.signature.utf8)
        var matched = false
        for daysBack in 0 ... max(0, signingKeyMaxAgeDays) {
            let keyDate = date.addingTimeInterval(-Double(daysBack) * 86_400)
            let key = SNWS2Signer.deriveSigningKey(secret: secret, day: SNWS2DateFormat.day(keyDate))
            let expected = Array(Hex.encode(HMACSHA256.mac(key: key, message: stringToSign)).utf8)
            // Every candidate is compared (no early exit), each in constant time.
            if ConstantTime.equals(expected, presented) { matched = true }
        }
        return matched ? .success(authorization.credential) : .failure(.invalidSignature)
    }

    /// Parses the header value as the server does: `SNWS2` and exactly one space, components split on
    /// `,` and then on the first `=`, without trimming; at least two signed headers.
    public static func parseAuthorization(_ value: String) -> Result<AuthorizationValue, Failure> {
        guard value.hasPrefix("SNWS2 ") else { return .failure(.missingAuthorization) }
        var credential: String?
        var signedHeaders: [String]?
        var signature: String?
        for component in value.dropFirst(6).split(separator: ",", omittingEmptySubsequences: false) {
            guard let equals = component.firstIndex(of: "=") else { continue }
            let name = component[..<equals]
            let content = String(component[component.index(after: equals)...])
            switch name {
            case "Credential": credential = content
            case "SignedHeaders": signedHeaders = content.split(separator: ";", omittingEmptySubsequences: false).map(String.init)
            case "Signature": signature = content
            default: continue
            }
        }
        guard let credential, !credential.isEmpty else { return .failure(.invalidCredential) }
        guard let signedHeaders, signedHeaders.count >= 2, !signedHeaders.contains(where: \.isEmpty) else {
            return .failure(.invalidSignedHeaders)
        }
        guard let signature, signature.utf8.count == 64 else { return .failure(.invalidSignature) }
        return .success(AuthorizationValue(credential: credential, signedHeaders: signedHeaders, signature: signature))
    }

    /// `sha-256=<Base64>` (other algorithms in the list are ignored) equal to the body's hash.
    static func digestMatches(_ value: String, body: [UInt8]) -> Bool {
        let expected = SHA256.hash(body)
        for item in value.split(separator: ",") {
            let text = item.trimmingWhitespace()
            guard let equals = text.firstIndex(of: "="),
                  text[..<equals].lowercased() == "sha-256" else { continue }
            guard let decoded = Base64.decode(String(text[text.index(after: equals)...])) else { return false }
            return ConstantTime.equals(decoded, expected)
        }
        return false
    }

    /// Parses `EEE, dd MMM yyyy HH:mm:ss GMT` (RFC 1123, the form SNWS2 signs).
    public static func parseHTTPDate(_ text: String) -> Date? {
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let parts = text.trimmingWhitespace().split(separator: " ")
        guard parts.count == 6, parts[0].count == 4, parts[0].hasSuffix(","), parts[5] == "GMT",
              parts[1].count == 2, let day = Int(parts[1]),
              let month = months.firstIndex(of: String(parts[2])),
              parts[3].count == 4, Int(parts[3]) != nil else { return nil }
        let time = parts[4].split(separator: ":")
        guard time.count == 3, time.allSatisfy({ $0.count == 2 }),
              let hour = Int(time[0]), let minute = Int(time[1]), let second = Int(time[2]),
              (1 ... 31).contains(day), hour < 24, minute < 60, second < 60 else { return nil }
        func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let iso = "\(parts[3])-\(pad(month + 1))-\(pad(day))T\(pad(hour)):\(pad(minute)):\(pad(second))Z"
        return Timestamp.parse(iso)
    }
}
