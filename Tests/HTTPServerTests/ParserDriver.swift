import HTTPServer

/// Drives `HTTPRequestParser` the way a connection does (unconsumed bytes are kept and presented again),
/// feeding the input in pieces, so tests can check that splitting never changes the outcome.
struct ParserDriver {
    struct Outcome: Equatable, CustomStringConvertible {
        var requests: [String] = []
        var failureStatus: Int?
        var largestBody = 0

        var description: String { "requests: \(requests), failure: \(failureStatus.map(String.init) ?? "none")" }
    }

    static func summary(_ request: HTTPRequest) -> String {
        let head = request.head
        let headers = head.headers.map { "\($0.name)=\($0.value)" }.joined(separator: ";")
        let trailers = request.trailers.map { "\($0.name)=\($0.value)" }.joined(separator: ";")
        return "\(head.method) \(head.target) \(head.path) \(head.query ?? "-") \(head.version) [\(headers)] "
            + "cl=\(head.contentLength.map(String.init) ?? "-") chunked=\(head.isChunked) continue=\(head.expectsContinue) "
            + "keepAlive=\(head.keepAlive) body=\(request.body) trailers=[\(trailers)]"
    }

    /// Parses `bytes` split into pieces of `pieceSize` (nil: one piece), or at the given cut offsets.
    static func run(_ bytes: [UInt8], limits: HTTPParserLimits, pieceSize: Int? = nil, cuts: [Int] = []) -> (Outcome, [HTTPRequest]) {
        var pieces: [ArraySlice<UInt8>] = []
        if let pieceSize {
            var start = 0
            while start < bytes.count {
                pieces.append(bytes[start ..< min(bytes.count, start + pieceSize)])
                start += pieceSize
            }
        } else if !cuts.isEmpty {
            var start = 0
            for cut in cuts.sorted() where cut > start && cut < bytes.count {
                pieces.append(bytes[start ..< cut])
                start = cut
            }
            pieces.append(bytes[start...])
        } else {
            pieces = [bytes[...]]
        }
        var parser = HTTPRequestParser(limits: limits, remoteAddress: "test")
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
                case .request(let request):
                    outcome.requests.append(summary(request))
                    outcome.largestBody = max(outcome.largestBody, request.body.count)
                    requests.append(request)
                case .failure(let error):
                    outcome.failureStatus = error.status
                    return (outcome, requests)
                }
            }
        }
        return (outcome, requests)
    }
}
