import Essentials
import FoundationEssentials

/// Reads an HTTP `Retry-After` value: delay seconds (`120`) or an HTTP date (`Wed, 21 Oct 2015 07:28:00 GMT`).
///
/// Why it matters: a 429/503 partner tells us when it can take the request again; retrying earlier only
/// earns another refusal.
enum RetryAfter {
    /// Seconds to wait from `now`, `nil` when the value is absent or unreadable; a past date gives 0.
    static func seconds(_ value: String?, now: Date) -> Double? {
        guard let text = value?.trimmingWhitespace(), !text.isEmpty else { return nil }
        if text.allSatisfy(\.isASCIIDigit) {
            return Double(text)
        }
        if let date = HTTPDateText.parse(text, now: now) { return max(0, date.timeIntervalSince(now)) }
        return nil
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
