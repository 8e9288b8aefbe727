import Essentials
import FoundationEssentials

/// Verifies one webhook endpoint's requests on the raw body, before any parsing.
///
/// Why a value built once: secrets are decoded into key bytes at start-up (so a bad `whsec_` key fails the
/// configuration, not the first request), and several secrets allow rotation without downtime — the
/// result says which one matched. Signatures are always decoded and compared as bytes in constant time.
/// The verifier's `description` never shows key material.
public struct WebhookVerifier: Sendable, CustomStringConvertible, CustomReflectable {
    /// Default tolerance of timestamped schemes, in seconds, in both directions.
    public static let defaultTolerance: Double = 300

    public let scheme: WebhookScheme
    /// Allowed clock difference for `standard-webhooks` and `stripe`, in seconds (past and future).
    public let tolerance: Double
    /// Number of configured secrets.
    public let secretCount: Int
    /// `bearer`: the SHA-256 digests of the tokens (empty for the other schemes).
    private let bearerDigests: [[UInt8]]
    /// The HMAC schemes: each secret with its key schedule done once, so the raw secret bytes are not
    /// kept beside it (empty for `bearer`).
    private let macKeys: [HMACSHA256.Key]

    /// - Throws: `WebhookAuthError` for an empty list, an empty secret, a `standard-webhooks` secret that
    ///   is not Base64 (after an optional `whsec_`), or a negative/non-finite tolerance. The error text
    ///   never contains a secret.
    public init(scheme: WebhookScheme, secrets: [String], tolerance: Double = WebhookVerifier.defaultTolerance) throws {
        guard !secrets.isEmpty else {
            throw WebhookAuthError("no webhook secret configured for scheme \(scheme.rawValue)")
        }
        guard tolerance.isFinite, tolerance >= 0 else {
            throw WebhookAuthError("webhook timestamp tolerance must be a non-negative number of seconds")
        }
        var bearerDigests: [[UInt8]] = []
        var macKeys: [HMACSHA256.Key] = []
        for (index, secret) in secrets.enumerated() {
            let key = try WebhookKey.bytes(scheme: scheme, secret: secret, position: index + 1)
            if scheme == .bearer {
                // Bearer tokens are compared as SHA-256 digests so the comparison does not leak their length.
                bearerDigests.append(SHA256.hash(key))
            } else {
                macKeys.append(HMACSHA256.Key(key))
            }
        }
        self.scheme = scheme
        self.tolerance = tolerance
        secretCount = secrets.count
        self.bearerDigests = bearerDigests
        self.macKeys = macKeys
    }

    public var description: String {
        "WebhookVerifier(scheme: \(scheme.rawValue), secrets: \(secretCount), tolerance: \(tolerance))"
    }

    public var customMirror: Mirror {
        Mirror(self, children: ["scheme": scheme, "secretCount": secretCount, "tolerance": tolerance])
    }

    /// Verifies a request. `headers` is a case-insensitive lookup supplied by the caller; `body` the exact
    /// bytes received; `now` the clock used for the timestamp window.
    public func verify(headers: (String) -> String?, body: [UInt8], now: Date) -> WebhookVerification {
        check(headers: headers, body: body, now: now)
    }

    /// Verifies without the timestamp window: only for an operator's explicit replay of a stored request
    /// (`standard-webhooks`, `stripe`); identical to `verify` for the other schemes.
    public func verifyIgnoringTimestamp(headers: (String) -> String?, body: [UInt8]) -> WebhookVerification {
        check(headers: headers, body: body, now: nil)
    }

    // MARK: - Schemes

    private func check(headers: (String) -> String?, body: [UInt8], now: Date?) -> WebhookVerification {
        let lookup: (String) -> String? = { name in
            guard let value = headers(name)?.trimmingOWS(), !value.isEmpty else { return nil }
            return value
        }
        switch scheme {
        case .spark: return verifySpark(lookup, body)
        case .standardWebhooks: return verifyStandardWebhooks(lookup, body, now)
        case .stripe: return verifyStripe(lookup, body, now)
        case .github: return verifyGitHub(lookup, body)
        case .bearer: return verifyBearer(lookup)
        }
    }

    private func verifySpark(_ header: (String) -> String?, _ body: [UInt8]) -> WebhookVerification {
        guard let value = header(WebhookHeaderNames.sparkSignature) else { return .rejected(.missingSignature) }
        guard let signature = Base64.decode(value), signature.count == HMACSHA256.byteCount else {
            return .rejected(.malformedSignature)
        }
        return match([signature], message: body, deliveryId: nil)
    }

    private func verifyStandardWebhooks(_ header: (String) -> String?, _ body: [UInt8], _ now: Date?) -> WebhookVerification {
        // Svix sends the same scheme under svix-* names; use one family consistently.
        let names = header(WebhookHeaderNames.webhookSignature) != nil
            ? (WebhookHeaderNames.webhookId, WebhookHeaderNames.webhookTimestamp, WebhookHeaderNames.webhookSignature)
            : (WebhookHeaderNames.svixId, WebhookHeaderNames.svixTimestamp, WebhookHeaderNames.svixSignature)
        guard let id = header(names.0), let timestampText = header(names.1), let signatureList = header(names.2) else {
            return .rejected(.missingSignature)
        }
        guard !id.contains("."), !timestampText.contains("."),
              let timestamp = Self.unixSeconds(timestampText) else {
            return .rejected(.malformedSignature)
        }
        if let now, let refusal = windowCheck(timestamp: timestamp, now: now) { return .rejected(refusal) }

        var signatures: [[UInt8]] = []
        for entry in signatureList.split(separator: " ", omittingEmptySubsequences: true) {
            guard let comma = entry.firstIndex(of: ","), entry[..<comma] == "v1" else { continue }
            let encoded = String(entry[entry.index(after: comma)...])
            if let signature = Base64.decode(encoded), signature.count == HMACSHA256.byteCount {
                signatures.append(signature)
            }
        }
        guard !signatures.isEmpty else { return .rejected(.malformedSignature) }
        let message = Array("\(id).\(timestampText).".utf8) + body
        return match(signatures, message: message, deliveryId: id)
    }

    private func verifyStripe(_ header: (String) -> String?, _ body: [UInt8], _ now: Date?) -> WebhookVerification {
        guard let value = header(WebhookHeaderNames.stripeSignature) else { return .rejected(.missingSignature) }
        var timestampText: String?
        var signatures: [[UInt8]] = []
        var sawV1 = false
        for item in value.split(separator: ",", omittingEmptySubsequences: true) {
            guard let equals = item.firstIndex(of: "=") else { continue }
            let key = item[..<equals]
            let itemValue = String(item[item.index(after: equals)...])
            switch key {
            case "t":
                guard timestampText == nil else { return .rejected(.malformedSignature) }
                timestampText = itemValue
            case "v1":
                sawV1 = true
                if let signature = Hex.decode(itemValue), signature.count == HMACSHA256.byteCount {
                    signatures.append(signature)
                }
            default:
                continue  // v0 and unknown schemes are ignored (downgrade protection)
            }
        }
        guard let timestampText, let timestamp = Self.unixSeconds(timestampText), sawV1, !signatures.isEmpty else {
            return .rejected(.malformedSignature)
        }
        if let now, let refusal = windowCheck(timestamp: timestamp, now: now) { return .rejected(refusal) }
        let message = Array("\(timestampText).".utf8) + body
        return match(signatures, message: message, deliveryId: nil)
    }

    private func verifyGitHub(_ header: (String) -> String?, _ body: [UInt8]) -> WebhookVerification {
        // Never fall back to the SHA-1 `X-Hub-Signature` header.
        guard let value = header(WebhookHeaderNames.githubSignature256) else { return .rejected(.missingSignature) }
        let prefix = "sha256="
        guard value.hasPrefix(prefix),
              let signature = Hex.decode(String(value.dropFirst(prefix.count))),
              signature.count == HMACSHA256.byteCount else {
            return .rejected(.malformedSignature)
        }
        return match([signature], message: body, deliveryId: header(WebhookHeaderNames.githubDelivery))
    }

    private func verifyBearer(_ header: (String) -> String?) -> WebhookVerification {
        guard let value = header(WebhookHeaderNames.authorization) else { return .rejected(.missingSignature) }
        // auth-scheme is case-insensitive (RFC 7235); the token itself is compared exactly.
        let parts = value.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return .rejected(.missingSignature) }
        let token = parts[1].trimmingWhitespace()
        guard !token.isEmpty, !token.contains(" ") else { return .rejected(.malformedSignature) }
        let presented = SHA256.hash(Array(token.utf8))
        var matched: Int?
        for (index, digest) in bearerDigests.enumerated() where ConstantTime.equals(presented, digest) && matched == nil {
            matched = index
        }
        guard let matched else { return .rejected(.signatureMismatch) }
        return .verified(secretIndex: matched, deliveryId: nil)
    }

    // MARK: - Helpers

    /// Computes the MAC under every secret and compares it with every presented signature (no early exit
    /// on a secret, so timing does not reveal which secret matched).
    private func match(_ signatures: [[UInt8]], message: [UInt8], deliveryId: String?) -> WebhookVerification {
        var matched: Int?
        for (index, key) in macKeys.enumerated() {
            let expected = key.mac(message)
            for signature in signatures where ConstantTime.equals(expected, signature) && matched == nil {
                matched = index
            }
        }
        guard let matched else { return .rejected(.signatureMismatch) }
        return .verified(secretIndex: matched, deliveryId: deliveryId)
    }

    private func windowCheck(timestamp: Int64, now: Date) -> WebhookRejection? {
        let age = now.timeIntervalSince1970 - Double(timestamp)
        if age > tolerance { return .staleTimestamp }
        if -age > tolerance { return .futureTimestamp }
        return nil
    }

    /// Integer Unix seconds: ASCII digits only (at most 15, which covers any realistic date).
    static func unixSeconds(_ text: String) -> Int64? {
        let utf8 = text.utf8
        guard !utf8.isEmpty, utf8.count <= 15,
              utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return nil }
        return Int64(text)
    }
}

extension String {
    /// Without leading/trailing spaces and tabs (HTTP optional whitespace).
    func trimmingOWS() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first == " " || first == "\t" { scalars.removeFirst() }
        while let last = scalars.last, last == " " || last == "\t" { scalars.removeLast() }
        return String(scalars)
    }
}
