import FoundationEssentials

/// The parts of an HTTP request that SNWS2 signs, in the form the canonical request needs them.
///
/// Why not `URLRequest`: the signature covers the raw path (with `/solaruser`), the *decoded* query
/// parameters (the server rebuilds the canonical query from its parsed parameter map) and exactly the
/// header values that will be sent.
public struct SNWS2Request: Sendable {
    /// HTTP method (upper-cased when signing).
    public var method: String
    /// The path exactly as sent (percent-encoded, including the `/solaruser` context path, no query).
    public var path: String
    /// Decoded query parameters in their original order; a name may repeat.
    public var query: [(String, String)]
    /// Request headers (any case); those named in the signed-header list are signed.
    public var headers: [(String, String)]
    /// The body bytes (empty for GET).
    public var body: [UInt8]
    /// The request time (truncated to whole seconds when signing).
    public var date: Date
    /// The body's SHA-256 when the body itself is not at hand (streamed bodies, vectors that give only the
    /// hash); when set it is used instead of hashing `body`.
    public var bodySHA256: [UInt8]?

    public init(method: String, path: String, query: [(String, String)] = [], headers: [(String, String)] = [],
                body: [UInt8] = [], date: Date, bodySHA256: [UInt8]? = nil) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.date = date
        self.bodySHA256 = bodySHA256
    }

    /// The value of the first header named `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first(where: { $0.0.lowercased() == wanted })?.1
    }
}
