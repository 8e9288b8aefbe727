import Essentials
import FoundationEssentials
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Structured logging: one JSON object per line (`ts`, `level`, `msg`, then fields).
///
/// Deliberately tiny (in the spirit of swift-log): a level, a message, string fields. A value that is a
/// valid JSON number (up to 15 characters) is written as a number, everything else as a string. Values
/// are written as given, so callers must never pass secrets or signatures; `Logger.redacted` marks a
/// value that must not appear.
public struct Logger: Sendable {
    public enum Level: Int, Sendable, Comparable {
        case debug, info, warning, error

        public init?(name: String) {
            switch name.lowercased() {
            case "debug": self = .debug
            case "info": self = .info
            case "warning", "warn": self = .warning
            case "error": self = .error
            default: return nil
            }
        }

        var name: String { ["debug", "info", "warning", "error"][rawValue] }

        public static func < (a: Level, b: Level) -> Bool { a.rawValue < b.rawValue }
    }

    /// Where lines go: standard output (serve), standard error (other verbs), or a test capture.
    public final class Sink: Sendable {
        private let write: @Sendable (String) -> Void
        private let lock = Mutex(())

        public init(_ write: @escaping @Sendable (String) -> Void) { self.write = write }

        public static let standardOutput = Sink { line in StandardStreams.write(descriptor: 1, line) }
        public static let standardError = Sink { line in StandardStreams.write(descriptor: 2, line) }
        public static let discard = Sink { _ in }

        func emit(_ line: String) { lock.withLock { _ in write(line) } }
    }

    public static let redacted = "[redacted]"

    public var level: Level
    public var sink: Sink
    /// Fields added to every line (e.g. `component`).
    public var context: [(String, String)]

    public init(level: Level = .info, sink: Sink = .standardError, context: [(String, String)] = []) {
        self.level = level
        self.sink = sink
        self.context = context
    }

    public func with(_ key: String, _ value: String) -> Logger {
        var copy = self
        copy.context.append((key, value))
        return copy
    }

    public func debug(_ message: String, _ fields: [(String, String)] = []) { log(.debug, message, fields) }
    public func info(_ message: String, _ fields: [(String, String)] = []) { log(.info, message, fields) }
    public func warning(_ message: String, _ fields: [(String, String)] = []) { log(.warning, message, fields) }
    public func error(_ message: String, _ fields: [(String, String)] = []) { log(.error, message, fields) }

    public func log(_ level: Level, _ message: String, _ fields: [(String, String)]) {
        guard level >= self.level else { return }
        var line = "{\"ts\":"
        JSONWriter.escape(Timestamp.format(Date(), fractional: true), into: &line)
        line += ",\"level\":\"\(level.name)\",\"msg\":"
        JSONWriter.escape(message, into: &line)
        for (key, value) in context + fields {
            line += ","
            JSONWriter.escape(key, into: &line)
            line += ":"
            if Self.isJSONNumber(value) {
                line += value
            } else {
                JSONWriter.escape(value, into: &line)
            }
        }
        line += "}\n"
        sink.emit(line)
    }

    /// True when `text` is a JSON number (RFC 8259 grammar) short enough to survive a double, so log
    /// processors can compute with it (`latencyMs`, `status`, `port`). Longer digit strings (ids) stay strings.
    static func isJSONNumber(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty, bytes.count <= 15 else { return false }
        func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
        var index = 0
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count else { return false }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else if isDigit(bytes[index]) {
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        } else {
            return false
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            let start = index
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
            guard index > start else { return false }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            let start = index
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
            guard index > start else { return false }
        }
        return index == bytes.count
    }
}
