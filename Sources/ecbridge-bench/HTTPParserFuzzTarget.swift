import HTTPServer

/// `HTTPRequestParser`, driven as a connection drives it: the outcome must not depend on how the bytes
/// are split (whole, byte by byte, cut at a random point), and every accepted request must respect the
/// limits and the framing rules that prevent request smuggling.
struct HTTPParserFuzzTarget: FuzzTarget {
    let name = "http"
    let structured = false
    let interestingBytes: [UInt8] = Array("\r\n :;,0123456789abcdefABCDEF-+xX\t\u{0}\"=".utf8) + [0x0B, 0x7F, 0x80, 0xC3, 0xFF]
    /// The unit-test corpus limits, so the corpus files' expected statuses hold.
    static let limits = HTTPParserLimits(maxHeaderBytes: 1_024, maxHeaderCount: 10, maxBodyBytes: 64, maxChunkLineBytes: 64)
    private var accepted = 0
    private var refused = 0

    /// What one parse produced, comparable across ways of splitting the input.
    struct Outcome: Equatable {
        var requests: [String] = []
        var failure: Int?
    }

    var tally: String { "\(accepted) accepted, \(refused) refused" }

    mutating func check(_ input: [UInt8], cut: Int) -> String? {
        let (whole, requests) = Self.drive(input, pieces: [input[...]])
        if whole.failure == nil { accepted += 1 } else { refused += 1 }
        let bytewise = Self.drive(input, pieces: input.indices.map { input[$0 ... $0] }).0
        if bytewise != whole { return "byte-by-byte parse differs from the whole-buffer parse" }
        let split = Self.drive(input, pieces: [input[..<cut], input[cut...]]).0
        if split != whole { return "parse cut at \(cut) differs from the whole-buffer parse" }
        for request in requests {
            if let problem = Self.framingProblem(request) { return problem }
        }
        return nil
    }

    /// Rules every request the parser hands over must satisfy.
    static func framingProblem(_ request: HTTPRequest) -> String? {
        let head = request.head
        let lengths = head.headers.filter { $0.name.lowercased() == "content-length" }
        let encodings = head.headers.filter { $0.name.lowercased() == "transfer-encoding" }
        if !lengths.isEmpty && !encodings.isEmpty { return "accepted a request with both Content-Length and Transfer-Encoding" }
        if lengths.count > 1 { return "accepted a request with \(lengths.count) Content-Length fields" }
        if request.body.count > limits.maxBodyBytes { return "accepted a \(request.body.count)-byte body over maxBodyBytes" }
        if head.headers.count > limits.maxHeaderCount { return "accepted \(head.headers.count) header fields over maxHeaderCount" }
        if let length = head.contentLength, !head.isChunked, request.body.count != length {
            return "body of \(request.body.count) bytes for Content-Length \(length)"
        }
        if !encodings.isEmpty && !head.isChunked { return "accepted Transfer-Encoding without chunked framing" }
        if head.method.isEmpty { return "accepted an empty method" }
        return nil
    }

    static func summary(_ request: HTTPRequest) -> String {
        let head = request.head
        let headers = head.headers.map { "\($0.name)=\($0.value)" }.joined(separator: ";")
        let trailers = request.trailers.map { "\($0.name)=\($0.value)" }.joined(separator: ";")
        return "\(head.method) \(head.target) \(head.version) [\(headers)] cl=\(head.contentLength.map(String.init) ?? "-") "
            + "chunked=\(head.isChunked) keepAlive=\(head.keepAlive) body=\(request.body) trailers=[\(trailers)]"
    }

    /// Feeds the pieces in order, keeping unconsumed bytes, as a connection does.
    static func drive(_ input: [UInt8], pieces: [ArraySlice<UInt8>]) -> (Outcome, [HTTPRequest]) {
        var parser = HTTPRequestParser(limits: limits, remoteAddress: "fuzz")
        var pending: [UInt8] = []
        var outcome = Outcome()
        var requests: [HTTPRequest] = []
        for piece in pieces {
            pending.append(contentsOf: piece)
            while true {
                let step = pending.withUnsafeBufferPointer { parser.feed($0) }
                pending.removeFirst(step.consumed)
                guard let event = step.event else { break }
                switch event {
                case .head:
                    parser.startBody()
                case let .request(request):
                    outcome.requests.append(summary(request))
                    requests.append(request)
                case let .failure(error):
                    outcome.failure = error.status
                    return (outcome, requests)
                }
            }
        }
        return (outcome, requests)
    }

    /// The corpus file's expectation from its name: `NAME.STATUS.http` (refused with STATUS) or
    /// `NAME.okN.http` (N complete requests, no failure).
    static func expectation(fileName: String) -> (status: Int?, requests: Int)? {
        let parts = fileName.split(separator: ".")
        guard parts.count >= 3 else { return nil }
        let tag = parts[parts.count - 2]
        if tag.hasPrefix("ok"), let count = Int(tag.dropFirst(2)) { return (nil, count) }
        return Int(tag).map { ($0, 0) }
    }
}
