/// What the application plugs into the server: an early look at each head (to refuse without reading a
/// body) and the complete request, answered through a callback so the answer may come from any thread.
public protocol HTTPHandler: Sendable {
    /// Called once the head is parsed and before any body byte is read. Return a response to refuse the
    /// request early (e.g. 404/405/415/411) — the server then sends it and, if a body was announced, closes
    /// the connection without reading it. Return nil to continue.
    func accept(_ head: HTTPRequestHead) -> HTTPResponse?

    /// Called with the complete request. `respond` may be called later from ANY thread (e.g. after a
    /// database commit on another thread), exactly once; later calls are ignored.
    func handle(_ request: HTTPRequest, respond: @escaping @Sendable (HTTPResponse) -> Void)
}

extension HTTPHandler {
    public func accept(_ head: HTTPRequestHead) -> HTTPResponse? { nil }
}
