import Essentials
import FoundationEssentials

/// Reads the durations the senders write: .NET `TimeSpan` text (Spark) and ISO 8601 (OpenADR).
///
/// Why a hand-written parser: neither syntax has a toolchain parser on Linux, and the open-ended marker
/// (`P9999Y`) plus the "whole seconds, never negative" rule are ecbridge conventions (design.md §2).
public enum EventDuration {
    /// A parsed duration.
    public enum Value: Sendable, Equatable, Hashable {
        /// Whole seconds (fractions rounded down), never negative.
        case seconds(Int)
        /// `P9999Y` or anything at least that long: the window never ends by itself.
        case openEnded
    }

    /// Durations of at least this many seconds (9999 years of 365 days) are open-ended.
    public static let openEndedThresholdSeconds = 9999 * 365 * 86_400

    /// Longest text considered; longer input is rejected rather than scanned (no real duration needs it).
    public static let maximumTextLength = 64

    /// .NET TimeSpan `[d.]hh:mm:ss[.fffffff]` (e.g. "02:00:00", "1.00:00:00") and ISO 8601 durations
    /// (`PT2H`, `P1D`, `P1W`, `PT1H30M`, `PT0.5S`, `P1DT2H`; years/months rejected except the open-ended
    /// marker). A leading `P` selects ISO 8601.
    ///
    /// Returns `.openEnded` for `P9999Y` (and any duration ≥ 9999 years), `.seconds(n)` otherwise
    /// (fractions rounded down to whole seconds). Negative durations, `"P"`, `"PT"` and TimeSpan text
    /// without two-digit `hh:mm:ss` fields (e.g. `"1:2:3"`) are rejected (`nil`).
    public static func parse(_ text: String) -> Value? {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty, bytes.count <= maximumTextLength else { return nil }
        if bytes[0] == UInt8(ascii: "P") { return parseISO8601(bytes) }
        return parseTimeSpan(bytes)
    }

    /// Formats whole seconds as .NET TimeSpan text: `02:00:00`, `1.00:00:00`.
    public static func timeSpanText(seconds: Int) -> String {
        let value = max(0, seconds)
        let days = value / 86_400
        let rest = value % 86_400
        let clock = "\(twoDigits(rest / 3600)):\(twoDigits(rest % 3600 / 60)):\(twoDigits(rest % 60))"
        return days > 0 ? "\(days).\(clock)" : clock
    }

    /// Formats whole seconds as an ISO 8601 duration: `PT2H`, `P1DT30M`, `PT0S`.
    public static func iso8601Text(seconds: Int) -> String {
        let value = max(0, seconds)
        if value == 0 { return "PT0S" }
        let days = value / 86_400
        let hours = value % 86_400 / 3600
        let minutes = value % 3600 / 60
        let secs = value % 60
        var text = "P"
        if days > 0 { text += "\(days)D" }
        if hours > 0 || minutes > 0 || secs > 0 {
            text += "T"
            if hours > 0 { text += "\(hours)H" }
            if minutes > 0 { text += "\(minutes)M" }
            if secs > 0 { text += "\(secs)S" }
        }
        return text
    }

    private static func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }

    // MARK: - .NET TimeSpan

    private static func parseTimeSpan(_ b: [UInt8]) -> Value? {
        // [d.]hh:mm:ss[.fffffff]; a leading '-' (negative) is rejected.
        var i = 0
        func digitRun() -> (value: Int, count: Int) {
            var value = 0
            var count = 0
            while i < b.count, b[i] >= 48, b[i] <= 57 {
                if count < 12 { value = value * 10 + Int(b[i] - 48) }
                count += 1
                i += 1
            }
            return (value, count)
        }
        var days = 0
        let first = digitRun()
        var hours: Int
        if i < b.count, b[i] == UInt8(ascii: ".") {
            // Day part: 1 to 8 digits (TimeSpan.MaxValue has 8).
            guard first.count >= 1, first.count <= 8 else { return nil }
            days = first.value
            i += 1
            let h = digitRun()
            guard h.count == 2 else { return nil }
            hours = h.value
        } else {
            guard first.count == 2 else { return nil }
            hours = first.value
        }
        guard i < b.count, b[i] == UInt8(ascii: ":") else { return nil }
        i += 1
        let minutes = digitRun()
        guard minutes.count == 2, i < b.count, b[i] == UInt8(ascii: ":") else { return nil }
        i += 1
        let seconds = digitRun()
        guard seconds.count == 2 else { return nil }
        if i < b.count {
            guard b[i] == UInt8(ascii: ".") else { return nil }
            i += 1
            let fraction = digitRun()
            guard fraction.count >= 1, fraction.count <= 7 else { return nil }
        }
        guard i == b.count, hours < 24, minutes.value < 60, seconds.value < 60 else { return nil }
        let total = days * 86_400 + hours * 3600 + minutes.value * 60 + seconds.value
        return total >= openEndedThresholdSeconds ? .openEnded : .seconds(total)
    }

    // MARK: - ISO 8601

    private static func parseISO8601(_ b: [UInt8]) -> Value? {
        // P[nY][nM][nW][nD][T[nH][nM][nS]]; a fraction ('.' or ',') only on the last component.
        let dateDesignators: [UInt8] = Array("YMWD".utf8)
        let timeDesignators: [UInt8] = Array("HMS".utf8)
        let secondsPer: [UInt8: Decimal] = [
            UInt8(ascii: "W"): 604_800, UInt8(ascii: "D"): 86_400,
        ]
        let timeSecondsPer: [UInt8: Decimal] = [
            UInt8(ascii: "H"): 3600, UInt8(ascii: "M"): 60, UInt8(ascii: "S"): 1,
        ]
        var i = 1
        var inTime = false
        var sawTime = false
        var components = 0
        var lastDesignatorRank = -1
        var sawFraction = false
        var years: Decimal? = nil
        var months: Decimal? = nil
        var total = Decimal(0)
        while i < b.count {
            if b[i] == UInt8(ascii: "T") {
                guard !inTime else { return nil }
                inTime = true
                sawTime = true
                lastDesignatorRank = -1
                i += 1
                continue
            }
            guard !sawFraction else { return nil } // a fractional component must be the last one
            // Number: digits, optional fraction.
            var digits = ""
            while i < b.count, b[i] >= 48, b[i] <= 57 {
                digits.unicodeScalars.append(UnicodeScalar(b[i]))
                i += 1
            }
            guard !digits.isEmpty else { return nil }
            if i < b.count, b[i] == UInt8(ascii: ".") || b[i] == UInt8(ascii: ",") {
                i += 1
                var fraction = ""
                while i < b.count, b[i] >= 48, b[i] <= 57 {
                    fraction.unicodeScalars.append(UnicodeScalar(b[i]))
                    i += 1
                }
                guard !fraction.isEmpty else { return nil }
                digits += "." + fraction
                sawFraction = true
            }
            // Digits with an optional fraction are a JSON number text; parsing them as one needs no
            // Locale (which would load ICU's data) and is exact.
            guard i < b.count, let number = JSON.number(digits).decimalValue else { return nil }
            let designator = b[i]
            i += 1
            let order = inTime ? timeDesignators : dateDesignators
            guard let rank = order.firstIndex(of: designator), rank > lastDesignatorRank else { return nil }
            lastDesignatorRank = rank
            components += 1
            if !inTime && designator == UInt8(ascii: "Y") {
                years = number
            } else if !inTime && designator == UInt8(ascii: "M") {
                months = number
            } else if inTime, let factor = timeSecondsPer[designator] {
                total += number * factor
            } else if let factor = secondsPer[designator] {
                total += number * factor
            } else {
                return nil
            }
        }
        // "P" alone and "PT" / "P1DT" (a T without time components) are not durations.
        guard components > 0 else { return nil }
        if sawTime && lastDesignatorRank == -1 { return nil }
        if let years, years >= 9999 { return .openEnded }
        guard years == nil, months == nil else { return nil } // calendar lengths are ambiguous
        // Decimal overflow (absurdly many digits) yields NaN: that is longer than 9999 years too.
        if total.isNaN || total >= Decimal(openEndedThresholdSeconds) { return .openEnded }
        // A whole number of seconds below the open-ended threshold: always an `Int`.
        guard let seconds = Int(exactly: total.rounded(scale: 0, mode: .down)) else { return nil }
        return .seconds(seconds)
    }
}
