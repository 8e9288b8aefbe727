import Testing
@testable import HTTPServer

@Suite struct ModelTests {
    @Test func headersKeepOrderAndIgnoreCase() {
        var headers = HTTPHeaders()
        headers.add("X-A", "1")
        headers.add("x-a", "2")
        headers.add("Content-Type", "text/plain")
        #expect(headers["x-A"] == "1")
        #expect(headers.values(for: "X-A") == ["1", "2"])
        #expect(headers.map(\.name) == ["X-A", "x-a", "Content-Type"])
        headers.set("X-A", "3")
        #expect(headers.values(for: "x-a") == ["3"])
        headers.remove("content-type")
        #expect(headers.count == 1)
        #expect(!"Hosts".equalsIgnoringASCIICase("hosts!"))
        #expect(!"a-b".equalsIgnoringASCIICase("a\rb"))  // only letters fold
        #expect("X-Correlation-Identifier-Long".equalsIgnoringASCIICase("x-correlation-IDENTIFIER-long"))
        #expect(!"X-Correlation-Identifier-Long".equalsIgnoringASCIICase("x-correlation-identifier-lonG!"))
        #expect(!"X-Correlation-Identifier-Lon@".equalsIgnoringASCIICase("x-correlation-identifier-lon`"))
        #expect("".equalsIgnoringASCIICase(""))
        #expect("é-Header".equalsIgnoringASCIICase("é-header"))
    }

    @Test func problemDocumentIsEscapedJSON() {
        let response = HTTPResponse.problem(status: 400, title: "Bad \"Request\"", detail: "line\nnext\u{01}")
        #expect(response.headers["Content-Type"] == "application/problem+json")
        #expect(String(decoding: response.body, as: UTF8.self)
            == #"{"type":"about:blank","title":"Bad \"Request\"","status":400,"detail":"line\nnext\u0001"}"#)
        let noDetail = HTTPResponse.problem(status: 404, title: "Not Found", detail: nil)
        #expect(String(decoding: noDetail.body, as: UTF8.self) == #"{"type":"about:blank","title":"Not Found","status":404}"#)
    }

    @Test func serializerOwnsFramingHeaders() {
        var headers = HTTPHeaders()
        headers.add("Content-Length", "999")
        headers.add("Transfer-Encoding", "chunked")
        headers.add("Bad Name", "x")
        headers.add("X-Split", "a\nb")
        headers.add("X-Ok", "fine")
        let response = HTTPResponse(status: 201, headers: headers, body: Array("abc".utf8))
        var buffer: [UInt8] = []
        let bodyFollows = ResponseSerializer.writeHead(response, requestMethod: "POST", requestVersion: .http1_1,
                                                       close: true, date: Array("DATE".utf8), into: &buffer)
        #expect(bodyFollows)
        #expect(String(decoding: buffer, as: UTF8.self)
            == "HTTP/1.1 201 Created\r\nX-Ok: fine\r\nContent-Length: 3\r\nDate: DATE\r\nConnection: close\r\n\r\n")

        buffer.removeAll()
        let noContent = ResponseSerializer.writeHead(HTTPResponse(status: 204, body: [1]), requestMethod: "GET",
                                                     requestVersion: .http1_0, close: false, date: [], into: &buffer)
        #expect(!noContent)
        #expect(String(decoding: buffer, as: UTF8.self) == "HTTP/1.1 204 No Content\r\nDate: \r\nConnection: keep-alive\r\n\r\n")

        buffer.removeAll()
        let head = ResponseSerializer.writeHead(.text("hello"), requestMethod: "HEAD", requestVersion: .http1_1,
                                                close: false, date: [], into: &buffer)
        #expect(!head)
        #expect(String(decoding: buffer, as: UTF8.self).contains("Content-Length: 5\r\n"))
    }

    @Test func httpDateFormat() {
        #expect(HTTPDateCache.format(784_111_777) == "Sun, 06 Nov 1994 08:49:37 GMT")
    }

    @Test func queryItems() {
        let head = HTTPRequestHead(method: "GET", target: "/?echo=a%20b&flag&bad=%zz&plus=1+2", path: "/",
                                   query: "echo=a%20b&flag&bad=%zz&plus=1+2", version: .http1_1, headers: HTTPHeaders())
        #expect(head.queryItem("echo") == "a b")
        #expect(head.queryItem("flag") == "")
        #expect(head.queryItem("bad") == "%zz")
        #expect(head.queryItem("plus") == "1 2")
        #expect(head.queryItem("missing") == nil)
    }

    @Test func timeoutListIsFIFOWithRemoval() throws {
        // Connections need a loop; build one without a listener.
        let loop = try EventLoop(configuration: HTTPServerConfiguration(), handler: TestHandler(),
                                 counters: StatisticsCounters(), listenFD: -1)
        let parser = HTTPRequestParser()
        let a = Connection(id: 1, transport: NullTransport(), loop: loop, parser: parser)
        let b = Connection(id: 2, transport: NullTransport(), loop: loop, parser: parser)
        let c = Connection(id: 3, transport: NullTransport(), loop: loop, parser: parser)
        var list = TimeoutList(duration: 10)
        list.append(a, now: 1)
        list.append(b, now: 2)
        list.append(c, now: 3)
        #expect(list.head === a)
        list.remove(a)
        #expect(list.head === b)
        list.remove(c)
        #expect(list.head === b)
        #expect(b.deadline == 12)
        list.remove(b)
        #expect(list.head == nil)
    }
}

/// A transport that does nothing, for data-structure tests.
final class NullTransport: ConnectionTransport {
    var fileDescriptor: Int32 { -1 }
    func read(into buffer: UnsafeMutableRawBufferPointer) -> TransportResult { .wouldBlock }
    func write(_ first: UnsafeRawBufferPointer, _ second: UnsafeRawBufferPointer) -> TransportResult { .bytes(first.count + second.count) }
    func shutdownWrite() {}
    func close() {}
}
