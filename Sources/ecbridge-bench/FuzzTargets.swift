import EnergyCoordination
import Essentials
import Foundation
import HTTPServer

/// One thing the fuzz harness exercises: its seeds, the bytes worth inserting, and the invariants checked
/// on every input (`check` returns a violation, or nil).
protocol FuzzTarget {
    var name: String { get }
    /// Whether inputs are JSON (structure-aware mutations apply).
    var structured: Bool { get }
    var interestingBytes: [UInt8] { get }
    mutating func check(_ input: [UInt8], cut: Int) -> String?
    /// A short account of what the inputs did (accepted/refused…).
    var tally: String { get }
}

// MARK: - HTTP request parser

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

// MARK: - JSON

/// `Essentials.JSON`, the strict parser on the webhook hot path: what it accepts must print and re-parse
/// to the same value, and printing must be stable.
struct JSONFuzzTarget: FuzzTarget {
    let name = "json"
    let structured = true
    let interestingBytes: [UInt8] = Array("{}[]\":,.-+eE0123456789tfn\\u \t\r\n".utf8) + [0x00, 0x7F, 0xC3, 0xED, 0xF4, 0xFF]
    private var accepted = 0
    private var refused = 0

    var tally: String { "\(accepted) accepted, \(refused) refused" }

    mutating func check(_ input: [UInt8], cut: Int) -> String? {
        guard let value = try? JSON.parse(input) else {
            refused += 1
            return nil
        }
        accepted += 1
        let text = value.compactText
        guard let again = try? JSON.parse(text) else { return "compactText of an accepted document does not parse" }
        if again != value { return "compactText does not re-parse to the same value" }
        if again.compactText != text { return "compactText is not stable" }
        guard let pretty = try? JSON.parse(value.prettyText), pretty == value else { return "prettyText does not re-parse to the same value" }
        return nil
    }
}

// MARK: - Notification decoder

/// `NotificationDecoder`: never traps on any body, and an event it accepts survives the inbox round trip
/// (`CoordinationEvent.json` → `CoordinationEvent(json:)`) unchanged — the planner reads the stored form.
struct DecoderFuzzTarget: FuzzTarget {
    let name = "decoder"
    let structured = true
    let interestingBytes: [UInt8] = Array("{}[]\":,.-+eE0123456789PTHMSDWY:".utf8) + [0x00, 0xC3, 0xFF]
    let options = DecodeOptions()
    private var accepted = 0
    private var refused = 0
    private var byDialect: [String: Int] = [:]

    var tally: String {
        "\(accepted) decoded (" + byDialect.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            + "), \(refused) refused"
    }

    mutating func check(_ input: [UInt8], cut: Int) -> String? {
        let decoded: DecodedNotification
        do {
            decoded = try NotificationDecoder.decode(body: input, bodySHA256Hex: "fuzz", options: options)
        } catch {
            refused += 1
            return nil
        }
        accepted += 1
        byDialect[decoded.event.dialect.rawValue, default: 0] += 1
        if decoded.dedupeKey.isEmpty { return "empty dedupe key" }
        let stored = decoded.event.json
        let reread: CoordinationEvent
        do {
            reread = try CoordinationEvent(json: JSON.parse(stored.compactText))
        } catch {
            return "the stored event JSON cannot be read back: \(error)"
        }
        if reread != decoded.event { return "the event read back from its stored JSON differs from the decoded event" }
        return nil
    }
}

// MARK: - Durations

/// `EventDuration`: never traps; a parsed duration is non-negative and below the open-ended threshold,
/// and both printed forms parse back to the same value.
struct DurationFuzzTarget: FuzzTarget {
    let name = "duration"
    let structured = false
    let interestingBytes: [UInt8] = Array("PTHMSDWY0123456789.:-+,  ".utf8) + [0x00, 0xC3, 0xFF]
    private var accepted = 0
    private var refused = 0

    var tally: String { "\(accepted) parsed, \(refused) refused" }

    mutating func check(_ input: [UInt8], cut: Int) -> String? {
        let text = String(decoding: input, as: UTF8.self)
        guard let value = EventDuration.parse(text) else {
            refused += 1
            return nil
        }
        accepted += 1
        guard case let .seconds(seconds) = value else { return nil }
        if seconds < 0 { return "negative duration \(seconds)" }
        if seconds >= EventDuration.openEndedThresholdSeconds { return "\(seconds) s should be open-ended" }
        if EventDuration.parse(EventDuration.timeSpanText(seconds: seconds)) != value { return "timeSpanText(\(seconds)) does not parse back" }
        if EventDuration.parse(EventDuration.iso8601Text(seconds: seconds)) != value { return "iso8601Text(\(seconds)) does not parse back" }
        return nil
    }
}
