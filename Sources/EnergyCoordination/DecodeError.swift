import Essentials

/// Why a body was not accepted as an Energy Coordination notification.
///
/// The reason is one sentence that goes into the 400 problem+json `detail`, so it names the field path
/// (`event.intervalPeriod.duration: not a duration ("2h")`) and never echoes more than a short snippet.
public struct DecodeError: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: String

    public init(_ reason: String) {
        self.reason = reason
    }

    public var description: String { reason }

    /// `<path>: <message>`, or just the message for the document root.
    static func field(_ path: String, _ message: String) -> DecodeError {
        DecodeError(path.isEmpty ? message : "\(path): \(message)")
    }

    /// Longest snippet of input quoted in a reason.
    static let snippetLimit = 40

    /// A short, escaped, quoted excerpt of `text` for an error reason.
    static func snippet(_ text: String) -> String {
        var cut = String(text.prefix(snippetLimit))
        if cut.count < text.count { cut += "…" }
        var out = ""
        JSONWriter.escape(cut, into: &out)
        return out
    }
}
