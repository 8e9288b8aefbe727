/// A SolarNetwork security token (id + secret) used to sign SolarUser requests with SNWS2.
///
/// Why a dedicated type: its `description`, `debugDescription` and mirror show the token id only, so a
/// stray `print` or `dump` cannot leak the secret into logs.
public struct SNWS2Credentials: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The token id (sent in `Credential=`).
    public var token: String
    /// The token secret (never sent; only used to derive the signing key).
    public var secret: String

    public init(token: String, secret: String) {
        self.token = token
        self.secret = secret
    }

    public var description: String { "SNWS2Credentials(token: \(token), secret: <redacted>)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["token": token, "secret": "<redacted>"]) }
}
