/// Reads from a stream under the request deadline.
struct StreamSource: ResponseByteSource {
    let stream: any ClientStream
    let deadline: Deadline

    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(HTTPClientError) -> Int {
        try stream.read(into: buffer, deadline: deadline)
    }
}
