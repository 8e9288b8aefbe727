import FoundationEssentials
import Essentials

/// The three date forms SNWS2 uses, formatted by hand in UTC so no locale or time-zone setting can
/// change them (a `DateFormatter` with a non-English locale would write `Di, 25 Apr…`).
public enum SNWS2DateFormat {
    private static let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// `EEE, dd MMM yyyy HH:mm:ss 'GMT'` — the `X-SN-Date` / `Date` header value, e.g.
    /// `Tue, 25 Apr 2017 14:30:00 GMT`.
    public static func httpDate(_ date: Date) -> String {
        let seconds = wholeSeconds(date)
        let c = Timestamp.civil(seconds)
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let weekday = ((days % 7) + 7 + 4) % 7  // 1970-01-01 was a Thursday
        return "\(weekdays[weekday]), \(pad(c.day, 2)) \(months[c.month - 1]) \(pad(c.year, 4)) "
            + "\(pad(c.hour, 2)):\(pad(c.minute, 2)):\(pad(c.second, 2)) GMT"
    }

    /// `yyyyMMdd` — the signing-key date, e.g. `20170425`.
    public static func day(_ date: Date) -> String {
        let c = Timestamp.civil(wholeSeconds(date))
        return "\(pad(c.year, 4))\(pad(c.month, 2))\(pad(c.day, 2))"
    }

    /// `yyyyMMdd'T'HHmmss'Z'` — the string-to-sign timestamp, e.g. `20170425T143000Z`.
    public static func timestamp(_ date: Date) -> String {
        let c = Timestamp.civil(wholeSeconds(date))
        return "\(pad(c.year, 4))\(pad(c.month, 2))\(pad(c.day, 2))T\(pad(c.hour, 2))\(pad(c.minute, 2))\(pad(c.second, 2))Z"
    }

    /// The date truncated to whole seconds (SNWS2 dates carry no fraction).
    public static func truncated(_ date: Date) -> Date {
        Date(timeIntervalSince1970: Double(wholeSeconds(date)))
    }

    static func wholeSeconds(_ date: Date) -> Int {
        Int(date.timeIntervalSince1970.rounded(.down))
    }

    /// Days since 1970-01-01 (UTC) — the signing-key cache key.
    static func dayNumber(_ date: Date) -> Int {
        let seconds = wholeSeconds(date)
        return seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}
