import Testing
@testable import HTTPServer

@Suite struct ParserTests {
    let limits = HTTPParserLimits()

    private func parse(_ text: String, limits: HTTPParserLimits? = nil) -> ([HTTPRequest], Int?) {
        let (outcome, requests) = ParserDriver.run(Array(text.utf8), limits: limits ?? self.limits)
        return (requests, outcome.failureStatus)
    }

    @Test func simpleGet() throws {
        let (requests, failure) = parse("GET /a/b?x=1&y=h%C3%A9+there HTTP/1.1\r\nHost: example.com\r\nX-Multi: 1\r\nx-multi: 2\r\n\r\n")
        #expect(failure == nil)
        let request = try #require(requests.first)
        #expect(request.head.method == "GET")
        #expect(request.head.target == "/a/b?x=1&y=h%C3%A9+there")
        #expect(request.head.path == "/a/b")
        #expect(request.head.query == "x=1&y=h%C3%A9+there")
        #expect(request.head.queryItem("y") == "hé there")
        #expect(request.head.queryItem("x") == "1")
        #expect(request.head.queryItem("z") == nil)
        #expect(request.head.version == .http1_1)
        #expect(request.head.headers["HOST"] == "example.com")
        #expect(request.head.headers.values(for: "X-Multi") == ["1", "2"])
        #expect(request.head.keepAlive)
        #expect(request.head.remoteAddress == "test")
        #expect(request.body.isEmpty)
    }

    @Test func contentLengthBody() throws {
        let (requests, failure) = parse("POST /hook HTTP/1.1\r\nHost: a\r\nContent-Length:  5 \r\n\r\nhello")
        #expect(failure == nil)
        let request = try #require(requests.first)
        #expect(request.head.contentLength == 5)
        #expect(request.body == Array("hello".utf8))
    }

    @Test func chunkedBodyWithExtensionsAndTrailers() throws {
        let text = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: Chunked\r\n\r\n"
            + "5;name=value\r\nhello\r\nA ; x\r\n, world!!!\r\n0\r\nX-Digest: abc\r\n\r\n"
        let (requests, failure) = parse(text)
        #expect(failure == nil)
        let request = try #require(requests.first)
        #expect(request.head.isChunked)
        #expect(String(decoding: request.body, as: UTF8.self) == "hello, world!!!")
        #expect(request.trailers["x-digest"] == "abc")
        #expect(request.head.headers["X-Digest"] == nil)
    }

    @Test func pipelinedRequestsStayInOrder() {
        let text = "GET /1 HTTP/1.1\r\nHost: a\r\n\r\nPOST /2 HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabcGET /3 HTTP/1.1\r\nHost: a\r\n\r\n"
        let (requests, failure) = parse(text)
        #expect(failure == nil)
        #expect(requests.map(\.head.path) == ["/1", "/2", "/3"])
        #expect(requests.map(\.body.count) == [0, 3, 0])
    }

    @Test func expectContinueIsReportedBeforeTheBody() throws {
        var parser = HTTPRequestParser(limits: limits)
        let head = Array("PUT /x HTTP/1.1\r\nHost: a\r\nExpect: 100-Continue\r\nContent-Length: 4\r\n\r\n".utf8)
        let step = head.withUnsafeBufferPointer { parser.feed($0) }
        #expect(step.consumed == head.count)
        guard case .head(let parsed) = step.event else {
            Issue.record("expected a head")
            return
        }
        #expect(parsed.expectsContinue)
        #expect(parsed.hasBody)
        #expect(parser.isAwaitingBodyDecision)
        // Nothing is read until the decision is made.
        let body = Array("data".utf8)
        #expect(body.withUnsafeBufferPointer { parser.feed($0) }.consumed == 0)
        parser.startBody()
        let bodyStep = body.withUnsafeBufferPointer { parser.feed($0) }
        guard case .request(let request) = bodyStep.event else {
            Issue.record("expected a request")
            return
        }
        #expect(request.body == body)
        #expect(parser.isAtRequestStart)
    }

    @Test func http10ClosesUnlessKeepAliveIsAsked() throws {
        let (plain, _) = parse("GET / HTTP/1.0\r\n\r\n")
        #expect(try #require(plain.first).head.keepAlive == false)
        let (kept, _) = parse("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n")
        #expect(try #require(kept.first).head.keepAlive)
        let (closed, _) = parse("GET / HTTP/1.1\r\nHost: a\r\nConnection: foo, close\r\n\r\n")
        #expect(try #require(closed.first).head.keepAlive == false)
    }

    @Test func absoluteFormKeepsThePath() throws {
        let (requests, _) = parse("GET https://example.com:8443/p/q?r=1 HTTP/1.1\r\nHost: example.com:8443\r\n\r\n")
        let head = try #require(requests.first).head
        #expect(head.path == "/p/q")
        #expect(head.query == "r=1")
        let (bare, _) = parse("GET http://example.com HTTP/1.1\r\nHost: example.com\r\n\r\n")
        #expect(try #require(bare.first).head.path == "/")
    }

    @Test func optionsStar() throws {
        let (requests, failure) = parse("OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(failure == nil)
        #expect(try #require(requests.first).head.path == "*")
    }

    @Test func malformedCorpus() {
        #expect(MalformedRequestCorpus.entries.count > 80)
        for entry in MalformedRequestCorpus.entries {
            let (outcome, _) = ParserDriver.run(entry.bytes, limits: CorpusLimits.limits)
            #expect(outcome.failureStatus == entry.status, "\(entry.name): \(outcome)")
            let (bytewise, _) = ParserDriver.run(entry.bytes, limits: CorpusLimits.limits, pieceSize: 1)
            #expect(bytewise == outcome, "\(entry.name) byte by byte")
        }
    }

    @Test func validCorpus() {
        for entry in ValidRequestCorpus.entries {
            let (outcome, _) = ParserDriver.run(entry.bytes, limits: CorpusLimits.limits)
            #expect(outcome.failureStatus == nil, "\(entry.name): \(outcome)")
            #expect(outcome.requests.count == entry.requests, "\(entry.name): \(outcome)")
        }
    }

    @Test func everySplitGivesTheSameResult() {
        for entry in ValidRequestCorpus.entries + MalformedRequestCorpus.entries.prefix(20).map({ ($0.name, $0.bytes, 0) }) {
            let (whole, _) = ParserDriver.run(entry.1, limits: CorpusLimits.limits)
            for cut in 1 ..< entry.1.count {
                let (split, _) = ParserDriver.run(entry.1, limits: CorpusLimits.limits, cuts: [cut])
                #expect(split == whole, "\(entry.0) split at \(cut)")
            }
        }
    }

    @Test func failedParserStaysFailed() {
        var parser = HTTPRequestParser(limits: limits)
        let bad = Array("GET / HTTP/9.9\r\n".utf8)
        let first = bad.withUnsafeBufferPointer { parser.feed($0) }
        guard case .failure(let error) = first.event else {
            Issue.record("expected failure")
            return
        }
        #expect(error.status == 505)
        let again = Array("GET / HTTP/1.1\r\nHost: a\r\n\r\n".utf8).withUnsafeBufferPointer { parser.feed($0) }
        guard case .failure = again.event else {
            Issue.record("expected the parser to stay failed")
            return
        }
    }
}
