import HTTPServer

/// Requests the parser must refuse, each with the status the server answers. Shared by the corpus test and
/// the fuzz test (as extra seeds). Limits used: `CorpusLimits.limits`.
///
/// Note on ` 5`: RFC 9110 §5.5 defines leading/trailing whitespace as optional whitespace around the field
/// value, so `Content-Length:  5` is valid (see the valid corpus); the entries below cover whitespace *inside*
/// the value, a vertical tab, and whitespace before the colon instead.
enum CorpusLimits {
    static let limits = HTTPParserLimits(maxHeaderBytes: 1_024, maxHeaderCount: 10, maxBodyBytes: 64, maxChunkLineBytes: 64)
}

struct MalformedRequest {
    let name: String
    let bytes: [UInt8]
    let status: Int

    init(_ name: String, _ text: String, _ status: Int) {
        self.name = name
        self.bytes = Array(text.utf8)
        self.status = status
    }

    init(_ name: String, bytes: [UInt8], _ status: Int) {
        self.name = name
        self.bytes = bytes
        self.status = status
    }
}

enum MalformedRequestCorpus {
    static let entries: [MalformedRequest] = [
        // Framing and smuggling.
        .init("cl-and-te", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400),
        .init("te-and-cl", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n", 400),
        .init("duplicate-cl-equal", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello", 400),
        .init("duplicate-cl-different", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!", 400),
        .init("cl-plus-sign", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +5\r\n\r\nhello", 400),
        .init("cl-minus-sign", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n", 400),
        .init("cl-inner-space", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5 5\r\n\r\nhello", 400),
        .init("cl-vertical-tab", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: \u{0B}5\r\n\r\nhello", 400),
        .init("cl-space-before-colon", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length : 5\r\n\r\nhello", 400),
        .init("cl-list", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5,5\r\n\r\nhello", 400),
        .init("cl-list-spaced", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 5\r\n\r\nhello", 400),
        .init("cl-overflow", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999999\r\n\r\n", 400),
        .init("cl-empty", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: \r\n\r\n", 400),
        .init("cl-hex", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0x5\r\n\r\nhello", 400),
        .init("te-chunked-identity", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n", 501),
        .init("te-xchunked", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: xchunked\r\n\r\n0\r\n\r\n", 501),
        .init("te-identity", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: identity\r\n\r\n", 501),
        .init("te-gzip-chunked", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", 501),
        .init("te-twice", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 501),
        .init("te-empty", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: \r\n\r\n", 400),
        .init("te-trailing-comma", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked,\r\n\r\n0\r\n\r\n", 400),
        .init("te-in-http10", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400),
        // Chunked coding.
        .init("chunk-size-negative", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n-1\r\nx\r\n0\r\n\r\n", 400),
        .init("chunk-size-0x", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0x10\r\n0123456789abcdef\r\n0\r\n\r\n", 400),
        .init("chunk-size-plus", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n+5\r\nhello\r\n0\r\n\r\n", 400),
        .init("chunk-size-overflow", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffffff\r\nx\r\n0\r\n\r\n", 400),
        .init("chunk-size-16-digits", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffff\r\nx\r\n0\r\n\r\n", 400),
        .init("chunk-size-empty", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n\r\nhello\r\n0\r\n\r\n", 400),
        .init("chunk-size-trailing-space", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5 \r\nhello\r\n0\r\n\r\n", 400),
        .init("chunk-size-bare-lf", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\nhello\r\n0\r\n\r\n", 400),
        .init("chunk-data-no-crlf", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhelloX\r\n0\r\n\r\n", 400),
        .init("chunk-data-bare-lf", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\n0\r\n\r\n", 400),
        .init("chunk-data-cr-only", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\rX0\r\n\r\n", 400),
        .init("chunk-extension-control", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5;a=\u{01}\r\nhello\r\n0\r\n\r\n", 400),
        .init("chunk-line-too-long", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5;" + String(repeating: "e", count: 80) + "\r\nhello\r\n0\r\n\r\n", 400),
        .init("chunk-too-large", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n41\r\n", 413),
        .init("chunk-total-too-large", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n28\r\n" + String(repeating: "x", count: 40) + "\r\n28\r\n", 413),
        .init("trailer-obs-fold", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX-T: a\r\n b\r\n\r\n", 400),
        .init("trailer-bad-name", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX T: a\r\n\r\n", 400),
        .init("trailers-too-many", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n"
              + (0 ..< 11).map { "T\($0): v\r\n" }.joined() + "\r\n", 431),
        // Header syntax.
        .init("obs-fold", "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\r\n c\r\n\r\n", 400),
        .init("obs-fold-tab", "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\r\n\tc\r\n\r\n", 400),
        .init("first-header-indented", "GET / HTTP/1.1\r\n Host: a\r\n\r\n", 400),
        .init("bare-cr-in-value", "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\rc\r\n\r\n", 400),
        .init("bare-cr-line-end", "GET / HTTP/1.1\r\nHost: a\rX-A: b\r\n\r\n", 400),
        .init("bare-lf-request-line", "GET / HTTP/1.1\nHost: a\r\n\r\n", 400),
        .init("bare-lf-header", "GET / HTTP/1.1\r\nHost: a\nX-A: b\r\n\r\n", 400),
        .init("bare-lf-end", "GET / HTTP/1.1\r\nHost: a\r\n\n", 400),
        .init("space-before-colon", "GET / HTTP/1.1\r\nHost : a\r\n\r\n", 400),
        .init("tab-before-colon", "GET / HTTP/1.1\r\nHost\t: a\r\n\r\n", 400),
        .init("name-with-paren", "GET / HTTP/1.1\r\nHost: a\r\nX(A): b\r\n\r\n", 400),
        .init("name-with-slash", "GET / HTTP/1.1\r\nHost: a\r\nX/A: b\r\n\r\n", 400),
        .init("name-non-ascii", bytes: Array("GET / HTTP/1.1\r\nHost: a\r\nX".utf8) + [0xC3, 0xA9] + Array(": b\r\n\r\n".utf8), 400),
        .init("name-empty", "GET / HTTP/1.1\r\nHost: a\r\n: b\r\n\r\n", 400),
        .init("no-colon", "GET / HTTP/1.1\r\nHost: a\r\nX-A b\r\n\r\n", 400),
        .init("nul-in-value", "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\u{0}c\r\n\r\n", 400),
        .init("del-in-value", "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\u{7F}c\r\n\r\n", 400),
        .init("escape-in-value", "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\u{1B}c\r\n\r\n", 400),
        .init("header-too-large", "GET / HTTP/1.1\r\nHost: a\r\nX-A: " + String(repeating: "a", count: 2_000) + "\r\n\r\n", 431),
        .init("header-too-large-unterminated", "GET / HTTP/1.1\r\nHost: a\r\nX-A: " + String(repeating: "a", count: 2_000), 431),
        .init("request-line-too-large", "GET /" + String(repeating: "a", count: 2_000) + " HTTP/1.1\r\nHost: a\r\n\r\n", 431),
        .init("too-many-headers", "GET / HTTP/1.1\r\nHost: a\r\n" + (0 ..< 10).map { "X-\($0): v\r\n" }.joined() + "\r\n", 431),
        .init("missing-host", "GET / HTTP/1.1\r\nX-A: b\r\n\r\n", 400),
        .init("duplicate-host", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400),
        .init("host-with-space", "GET / HTTP/1.1\r\nHost: a b\r\n\r\n", 400),
        .init("host-list", "GET / HTTP/1.1\r\nHost: a,b\r\n\r\n", 400),
        // Request line.
        .init("http-2", "GET / HTTP/2.0\r\nHost: a\r\n\r\n", 505),
        .init("http-1-2", "GET / HTTP/1.2\r\nHost: a\r\n\r\n", 505),
        .init("http-0-9", "GET / HTTP/0.9\r\nHost: a\r\n\r\n", 505),
        .init("version-two-digits", "GET / HTTP/1.10\r\nHost: a\r\n\r\n", 400),
        .init("version-lowercase", "GET / http/1.1\r\nHost: a\r\n\r\n", 400),
        .init("version-missing", "GET /\r\nHost: a\r\n\r\n", 400),
        .init("method-bad-char", "GE(T / HTTP/1.1\r\nHost: a\r\n\r\n", 400),
        .init("method-empty", " / HTTP/1.1\r\nHost: a\r\n\r\n", 400),
        .init("double-space", "GET  / HTTP/1.1\r\nHost: a\r\n\r\n", 400),
        .init("space-in-target", "GET /a b HTTP/1.1\r\nHost: a\r\n\r\n", 400),
        .init("control-in-target", "GET /a\u{01}b HTTP/1.1\r\nHost: a\r\n\r\n", 400),
        .init("fragment-in-target", "GET /a#b HTTP/1.1\r\nHost: a\r\n\r\n", 400),
        .init("relative-target", "GET a HTTP/1.1\r\nHost: a\r\n\r\n", 400),
        .init("star-target-get", "GET * HTTP/1.1\r\nHost: a\r\n\r\n", 400),
        .init("trailing-space-after-version", "GET / HTTP/1.1 \r\nHost: a\r\n\r\n", 400),
        // Semantics.
        .init("post-without-length", "POST / HTTP/1.1\r\nHost: a\r\n\r\n", 411),
        .init("put-without-length", "PUT / HTTP/1.1\r\nHost: a\r\n\r\n", 411),
        .init("body-too-large", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 65\r\n\r\n", 413),
        .init("body-far-too-large", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1000000000\r\n\r\n", 413),
        .init("unknown-expectation", "POST / HTTP/1.1\r\nHost: a\r\nExpect: 200-ok\r\nContent-Length: 1\r\n\r\nx", 417),
    ]
}

/// Valid requests (also the fuzz seeds). Each produces the given number of complete requests.
enum ValidRequestCorpus {
    static let entries: [(name: String, bytes: [UInt8], requests: Int)] = [
        ("get", Array("GET /a?b=c HTTP/1.1\r\nHost: example.com\r\nAccept: */*\r\n\r\n".utf8), 1),
        ("post-cl", Array("POST /hook HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: 13\r\n\r\n{\"a\":[1,2,3]}".utf8), 1),
        ("post-cl-ows", Array("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: \t 5 \r\n\r\nhello".utf8), 1),
        ("post-chunked", Array("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Checksum: 1\r\n\r\n".utf8), 1),
        ("pipelined", Array("GET /1 HTTP/1.1\r\nHost: a\r\n\r\nPOST /2 HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc".utf8), 2),
        ("expect-continue", Array("PUT /x HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\ndata".utf8), 1),
        ("http10", Array("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n".utf8), 1),
        ("absolute-form", Array("GET http://example.com/p?q=1 HTTP/1.1\r\nHost: example.com\r\n\r\n".utf8), 1),
        ("leading-crlf", Array("\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n".utf8), 1),
        ("obs-text-value", Array("GET / HTTP/1.1\r\nHost: a\r\nX-Name: ".utf8) + [0xC3, 0xA9] + Array("\r\n\r\n".utf8), 1),
    ]
}
