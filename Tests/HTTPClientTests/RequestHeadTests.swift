import Testing
@testable import HTTPClient

/// Request heads: the client owns the framing and refuses anything that could split a request.
struct RequestHeadTests {
    private func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    @Test func framesAPost() throws {
        let head = try RequestHead.serialize(method: "POST", target: "/a?b=1", authority: "example.com:8080",
                                             headers: [("Content-Type", "application/json"), ("Content-Length", "999"),
                                                       ("Connection", "close"), ("Transfer-Encoding", "chunked")],
                                             bodyCount: 12, userAgent: "ecbridge/test")
        #expect(text(head) == "POST /a?b=1 HTTP/1.1\r\nHost: example.com:8080\r\nUser-Agent: ecbridge/test\r\n"
            + "Accept: */*\r\nContent-Type: application/json\r\nContent-Length: 12\r\n\r\n")
    }

    @Test func callerHostUserAgentAndAcceptWin() throws {
        let head = try RequestHead.serialize(method: "GET", target: "/", authority: "x", headers: [
            ("host", "signed.example"), ("User-Agent", "custom"), ("Accept", "application/json"),
        ], bodyCount: nil, userAgent: "ecbridge/test")
        #expect(text(head) == "GET / HTTP/1.1\r\nHost: signed.example\r\nUser-Agent: custom\r\nAccept: application/json\r\n\r\n")
    }

    @Test func emptyPostsSayContentLengthZero() throws {
        let head = try RequestHead.serialize(method: "POST", target: "/", authority: "x", headers: [], bodyCount: nil,
                                             userAgent: nil)
        #expect(text(head).hasSuffix("Content-Length: 0\r\n\r\n"))
    }

    @Test(arguments: [
        ("X-A", "ok\r\nX-Injected: 1"), ("X-A", "line\nbreak"), ("X-A", "nul\u{0}"), ("Bad Name", "v"), ("", "v"), ("X:Y", "v"),
    ])
    func refusesInjection(_ name: String, _ value: String) {
        #expect(throws: HTTPClientError.self) {
            try RequestHead.serialize(method: "GET", target: "/", authority: "x", headers: [(name, value)], bodyCount: nil,
                                      userAgent: nil)
        }
    }

    @Test func refusesANonTokenMethod() {
        #expect(throws: HTTPClientError.self) {
            try RequestHead.serialize(method: "GET /evil HTTP/1.1\r\n", target: "/", authority: "x", headers: [],
                                      bodyCount: nil, userAgent: nil)
        }
    }
}
