import Essentials
import Testing
@testable import HTTPClient

/// Canned bytes delivered in pieces of the given sizes (the last size repeats), then end of stream.
struct ChunkedBytes: ResponseByteSource {
    var bytes: [UInt8]
    var sizes: [Int]
    var offset = 0

    init(_ text: String, sizes: [Int] = [1_000_000]) {
        bytes = Array(text.utf8)
        self.sizes = sizes
    }

    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(HTTPClientError) -> Int {
        let size = sizes.count > 1 ? sizes.removeFirst() : sizes[0]
        let count = min(size, buffer.count, bytes.count - offset)
        for index in 0 ..< count { buffer[index] = bytes[offset + index] }
        offset += count
        return count
    }
}

/// Response framing on bytes: every rule holds however the stream is split.
struct ResponseReaderTests {
    private func read(_ text: String, method: String = "POST", sizes: [Int] = [1_000_000],
                      limits: HTTPClientLimits = HTTPClientLimits()) throws(HTTPClientError) -> ResponseReader.Outcome {
        var source = ChunkedBytes(text, sizes: sizes)
        var reader = ResponseReader(host: "peer", limits: limits)
        return try reader.readResponse(from: &source, method: method)
    }

    private func body(_ outcome: ResponseReader.Outcome) -> String { String(decoding: outcome.response.body, as: UTF8.self) }

    @Test func contentLengthBodyKeepsTheConnection() throws {
        let outcome = try read("HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: 7\r\n\r\n{\"a\":1}")
        #expect(outcome.response.status == 201)
        #expect(outcome.response.header("content-type") == "application/json")
        #expect(body(outcome) == "{\"a\":1}")
        #expect(outcome.keepAlive)
    }

    @Test func everySplitGivesTheSameResponse() throws {
        let responses = [
            "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello",
            "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n",
            "HTTP/1.0 503 Service Unavailable\nRetry-After: 3\n\nbusy until close",
        ]
        for text in responses {
            let whole = try read(text)
            for size in 1 ... 7 {
                let split = try read(text, sizes: [size])
                #expect(split.response == whole.response, "split every \(size) bytes")
                #expect(split.keepAlive == whole.keepAlive)
            }
        }
    }

    @Test func chunkedBodiesAreDecodedAndTrailersDropped() throws {
        let outcome = try read("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"
            + "3\r\nabc\r\nA\r\n0123456789\r\n0\r\nDigest: x\r\n\r\n")
        #expect(body(outcome) == "abc0123456789")
        #expect(outcome.keepAlive)
    }

    @Test func interimAnswersAreSkipped() throws {
        let outcome = try read("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"
            + "HTTP/1.1 204 No Content\r\n\r\n")
        #expect(outcome.response.status == 204)
        #expect(outcome.response.body.isEmpty)
        #expect(outcome.keepAlive)
    }

    @Test func headAnd304HaveNoBody() throws {
        let head = try read("HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n", method: "HEAD")
        #expect(head.response.body.isEmpty && head.keepAlive)
        let notModified = try read("HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n")
        #expect(notModified.response.body.isEmpty && notModified.keepAlive)
    }

    @Test func closeDelimitedAndConnectionCloseAreNotReused() throws {
        let untilClose = try read("HTTP/1.1 200 OK\r\n\r\nall of it")
        #expect(body(untilClose) == "all of it")
        #expect(!untilClose.keepAlive)
        let close = try read("HTTP/1.1 200 OK\r\nConnection: keep-alive, Close\r\nContent-Length: 2\r\n\r\nok")
        #expect(!close.keepAlive)
        let http10 = try read("HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok")
        #expect(!http10.keepAlive)
        let extra = try read("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokSURPRISE")
        #expect(body(extra) == "ok")
        #expect(!extra.keepAlive)
        let unknownCoding = try read("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\nContent-Length: 3\r\n\r\nabcdef")
        #expect(body(unknownCoding) == "abcdef")
        #expect(!unknownCoding.keepAlive)
    }

    @Test func repeatedIdenticalLengthsAreOneLength() throws {
        let outcome = try read("HTTP/1.1 200 OK\r\nContent-Length: 2, 2\r\nContent-Length: 2\r\n\r\nok")
        #expect(body(outcome) == "ok")
    }

    @Test func foldedFieldsBecomeOneValue() throws {
        let outcome = try read("HTTP/1.1 200 OK\r\nX-Long: first\r\n  second\r\nContent-Length: 0\r\n\r\n")
        #expect(outcome.response.header("X-Long") == "first second")
    }

    @Test(arguments: [
        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nabc",
        "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 0x10\r\n\r\n",
        "HTTP/2 200\r\n\r\n",
        "HTTP/1.1 20 OK\r\n\r\n",
        "HTTP/1.1 099 Odd\r\n\r\n",
        "ICY 200 OK\r\n\r\n",
        "HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n",
        "HTTP/1.1 200 OK\r\nNoColon\r\n\r\n",
        "HTTP/1.1 200 OK\r\nX: a\rb\r\n\r\n",
        "HTTP/1.1 200 OK\r\n folded-first: x\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n+5\r\nhello\r\n0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcd\r\n0\r\n\r\n",
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n",
    ])
    func malformedAnswersAreErrors(_ text: String) {
        #expect(throws: HTTPClientError.self) { try read(text) }
    }

    @Test func truncatedAnswersAreIOErrors() {
        for text in ["", "HTTP/1.1 200 OK\r\nContent-Le", "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort",
                     "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab"] {
            #expect(throws: HTTPClientError.self) { try read(text) }
            do {
                _ = try read(text)
            } catch {
                guard case .io = error else {
                    Issue.record("expected an I/O error for \(text.debugDescription), got \(error)")
                    continue
                }
            }
        }
    }

    @Test func limitsBoundHeadFieldsAndBody() {
        let small = HTTPClientLimits(maxHeadBytes: 64, maxHeaderCount: 2, maxBodyBytes: 8)
        #expect(throws: HTTPClientError.responseTooLarge(host: "peer", what: "head", limit: 64)) {
            try read("HTTP/1.1 200 OK\r\nX-Big: " + String(repeating: "a", count: 100) + "\r\n\r\n", limits: small)
        }
        #expect(throws: HTTPClientError.responseTooLarge(host: "peer", what: "header field count", limit: 2)) {
            try read("HTTP/1.1 200 OK\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", limits: small)
        }
        #expect(throws: HTTPClientError.responseTooLarge(host: "peer", what: "body", limit: 8)) {
            try read("HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n123456789", limits: small)
        }
        #expect(throws: HTTPClientError.responseTooLarge(host: "peer", what: "body", limit: 8)) {
            try read("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n12345\r\n5\r\n12345\r\n0\r\n\r\n", limits: small)
        }
        #expect(throws: HTTPClientError.responseTooLarge(host: "peer", what: "body", limit: 8)) {
            try read("HTTP/1.1 200 OK\r\n\r\n" + String(repeating: "x", count: 20_000), limits: small)
        }
    }

    @Test func aNeverEndingHeadStopsAtTheLimit() {
        let endless = "HTTP/1.1 200 OK\r\n" + String(repeating: "X-A: b\r\n", count: 20_000)
        #expect(throws: HTTPClientError.responseTooLarge(host: "peer", what: "head", limit: 65_536)) {
            try read(endless, sizes: [4_096])
        }
    }

    /// Deterministic fuzzing: random bytes and mutated valid responses never crash the reader.
    @Test func randomInputNeverCrashes() {
        var random = SeededRandom(seed: 0x5EED)
        func next() -> UInt64 { random.next() }
        let seeds = Array("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n4\r\nabcd\r\n0\r\n\r\n".utf8)
        for _ in 0 ..< 3_000 {
            var bytes = seeds
            for _ in 0 ..< Int(next() % 6) {
                let index = Int(next() % UInt64(bytes.count))
                switch next() % 3 {
                case 0: bytes[index] = UInt8(truncatingIfNeeded: next())
                case 1: bytes.remove(at: index)
                default: bytes.insert(Array("\r\n:; 0HTTP/1.1".utf8)[Int(next() % 14)], at: index)
                }
            }
            var source = ChunkedBytes(String(decoding: bytes, as: UTF8.self), sizes: [Int(next() % 9) + 1])
            var reader = ResponseReader(host: "peer", limits: HTTPClientLimits(maxHeadBytes: 512, maxHeaderCount: 8, maxBodyBytes: 64))
            _ = try? reader.readResponse(from: &source, method: "GET")
        }
    }
}
