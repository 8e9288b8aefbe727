/// A connected byte stream with blocking semantics bounded by a deadline: plain TCP or TLS over it.
///
/// Why blocking: outbound calls run on delivery, report and CLI threads that have nothing else to do
/// while they wait; the sockets are non-blocking underneath so every wait goes through `poll` with the
/// request's deadline. `Sendable` because the pool hands a connection from one request's thread to the
/// next; one request uses it at a time (the implementations are `@unchecked` for that reason).
protocol ClientStream: AnyObject, Sendable {
    var fileDescriptor: Int32 { get }
    /// Bytes read (≥ 1), or 0 when the peer ended the stream.
    func read(into buffer: UnsafeMutableRawBufferPointer, deadline: Deadline) throws(HTTPClientError) -> Int
    /// Writes all of `bytes`.
    func write(_ bytes: UnsafeRawBufferPointer, deadline: Deadline) throws(HTTPClientError)
    /// Nothing is buffered or readable: the peer has neither closed the idle connection nor sent stray bytes.
    var isQuietWhileIdle: Bool { get }
    func close()
}

extension ClientStream {
    /// Writes all of `bytes`.
    func write(_ bytes: [UInt8], deadline: Deadline) throws(HTTPClientError) {
        let result = bytes.withUnsafeBytes { raw in
            Result { () throws(HTTPClientError) in try write(raw, deadline: deadline) }
        }
        try result.get()
    }
}
