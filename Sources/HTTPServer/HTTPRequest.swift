/// A complete request: the head and the whole body (bounded by `maxBodyBytes`), delivered to
/// `HTTPHandler.handle(_:respond:)` as raw bytes so signature checks see exactly what was sent.
public struct HTTPRequest: Sendable {
    public var head: HTTPRequestHead
    public var body: [UInt8]
    /// Trailer fields of a chunked body (empty otherwise). Never merged into `head.headers`.
    public var trailers: HTTPHeaders

    public init(head: HTTPRequestHead, body: [UInt8] = [], trailers: HTTPHeaders = HTTPHeaders()) {
        self.head = head
        self.body = body
        self.trailers = trailers
    }
}
