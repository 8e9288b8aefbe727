import FoundationEssentials

/// RFC 3339 / ISO 8601 timestamps as the protocols write them.
///
/// Parsing accepts a zone (`Z` or `±hh:mm`) and 0–9 fraction digits (Spark sends 7, .NET style) and
/// also the SolarNetwork form with a space instead of `T`. Formatting is always UTC with `Z`.
public enum Timestamp {
    /// Parses `2024-01-01T16:00:00Z`, `2024-09-12T13:48:47.1936858+00:00`, `2021-08-11 16:45:01.234567Z`.
    /// A timestamp without a zone is rejected (ambiguous) unless `assumeUTC` is true.
    public static func parse(_ text: String, assumeUTC: Bool = false) -> Date? {
        // Read in place: copying the text into an Array first was an allocation per timestamp.
        var text = text
        return text.withUTF8 { parse(utf8: $0, assumeUTC: assumeUTC) }
    }

    private static func parse(utf8 b: UnsafeBufferPointer<UInt8>, assumeUTC: Bool) -> Date? {
        func digits(_ at: Int, _ n: Int) -> Int? {
            guard at + n <= b.count else { return nil }
            var v = 0
            for i in at..<(at + n) {
                let c = b[i]
                guard c >= 48, c <= 57 else { return nil }
                v = v * 10 + Int(c - 48)
            }
            return v
        }
        guard b.count >= 10, let year = digits(0, 4), b[4] == UInt8(ascii: "-"), let month = digits(5, 2),
              b[7] == UInt8(ascii: "-"), let day = digits(8, 2) else { return nil }
        var hour = 0, minute = 0, second = 0
        var nanos = 0
        var i = 10
        var offsetSeconds: Int? = nil
        if i < b.count {
            guard b[i] == UInt8(ascii: "T") || b[i] == UInt8(ascii: "t") || b[i] == UInt8(ascii: " ") else { return nil }
            guard let h = digits(i + 1, 2), i + 3 < b.count, b[i + 3] == UInt8(ascii: ":"), let m = digits(i + 4, 2) else { return nil }
            hour = h; minute = m
            i += 6
            if i < b.count, b[i] == UInt8(ascii: ":") {
                guard let s = digits(i + 1, 2) else { return nil }
                second = s
                i += 3
            }
            if i < b.count, b[i] == UInt8(ascii: ".") {
                i += 1
                var count = 0
                var value = 0
                while i < b.count, b[i] >= 48, b[i] <= 57 {
                    if count < 9 { value = value * 10 + Int(b[i] - 48) }
                    count += 1
                    i += 1
                }
                guard count > 0 else { return nil }
                // Digits past the ninth are read and ignored (below a nanosecond); building the range
                // `count..<9` for more than nine digits would trap.
                if count < 9 { for _ in count..<9 { value *= 10 } }
                nanos = value
            }
            if i < b.count {
                switch b[i] {
                case UInt8(ascii: "Z"), UInt8(ascii: "z"):
                    offsetSeconds = 0
                    i += 1
                case UInt8(ascii: "+"), UInt8(ascii: "-"):
                    let sign = b[i] == UInt8(ascii: "-") ? -1 : 1
                    guard let oh = digits(i + 1, 2) else { return nil }
                    var om = 0
                    if i + 3 < b.count, b[i + 3] == UInt8(ascii: ":") {
                        guard let m = digits(i + 4, 2) else { return nil }
                        om = m; i += 6
                    } else if let m = digits(i + 3, 2) {
                        om = m; i += 5
                    } else {
                        i += 3
                    }
                    offsetSeconds = sign * (oh * 3600 + om * 60)
                default:
                    return nil
                }
            }
            guard i == b.count else { return nil }
        } else {
            offsetSeconds = 0 // a bare date is midnight UTC
        }
        if offsetSeconds == nil {
            guard assumeUTC else { return nil }
            offsetSeconds = 0
        }
        guard (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61,
              day <= daysInMonth(year, month) else { return nil }
        let days = daysFromCivil(year, month, day)
        let secs = days * 86_400 + hour * 3600 + minute * 60 + min(second, 59) - (offsetSeconds ?? 0)
        return Date(timeIntervalSince1970: Double(secs) + Double(nanos) / 1e9)
    }

    /// `2024-01-01T16:00:00Z` (whole seconds) or with milliseconds when `fractional` and non-zero.
    public static func format(_ date: Date, fractional: Bool = false) -> String {
        if let text = withFourDigitYearText(date, fractional: fractional, {
            String(decoding: $0, as: UTF8.self)
        }) {
            return text
        }
        let (whole, millis) = wholeSecondsAndMillis(date)
        let (y, mo, d, h, mi, s) = civil(whole)
        var out = "\(pad(y, 4))-\(pad(mo, 2))-\(pad(d, 2))T\(pad(h, 2)):\(pad(mi, 2)):\(pad(s, 2))"
        if fractional && millis != 0 { out += "." + pad(millis, 3) }
        return out + "Z"
    }

    /// Appends `format(date, fractional:)` as UTF-8 to `out`, without an intermediate String for years
    /// 0 to 9999 (every event JSON carries several times).
    public static func append(_ date: Date, fractional: Bool = false, to out: inout [UInt8]) {
        let written: Void? = withFourDigitYearText(date, fractional: fractional) { out.append(contentsOf: $0) }
        if written == nil {
            out.append(contentsOf: format(date, fractional: fractional).utf8)
        }
    }

    /// What `parse(format(date, fractional: true))` gives (the date rounded to the millisecond, the way
    /// the event JSON writes and reads it), computed without the text; `nil` when that text would not
    /// parse back (years outside 0 to 9999).
    public static func millisecondRoundTrip(_ date: Date) -> Date? {
        let (whole, millis) = wholeSecondsAndMillis(date)
        let year = civil(whole).year
        guard (0...9999).contains(year) else { return nil }
        // The same arithmetic `parse` does on the formatted fields: its calendar fields convert back to
        // `whole` exactly, and three fraction digits are `millis` × 10⁶ nanoseconds.
        return Date(timeIntervalSince1970: Double(whole) + Double(millis * 1_000_000) / 1e9)
    }

    /// Whole seconds (rounded down) and the milliseconds after them (rounded, carried into the seconds).
    private static func wholeSecondsAndMillis(_ date: Date) -> (whole: Int, millis: Int) {
        let t = date.timeIntervalSince1970
        var whole = Int(t.rounded(.down))
        var millis = Int(((t - Double(whole)) * 1000).rounded())
        if millis == 1000 { whole += 1; millis = 0 }
        return (whole, millis)
    }

    /// Calls `body` with the formatted bytes when the year has four digits (0...9999), else returns `nil`.
    /// Digits are written straight into a small buffer: string interpolation here was a measurable share
    /// of the intake's CPU time, since every event JSON carries several times.
    private static func withFourDigitYearText<R>(_ date: Date, fractional: Bool,
                                                 _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R? {
        let (whole, millis) = wholeSecondsAndMillis(date)
        let (y, mo, d, h, mi, s) = civil(whole)
        guard (0...9999).contains(y) else { return nil }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 24) { buffer in
            var length = 0
            func digits(_ value: Int, _ width: Int) {
                var divisor = 1
                for _ in 1..<width { divisor *= 10 }
                var rest = value
                while divisor > 0 {
                    buffer[length] = UInt8(ascii: "0") + UInt8(rest / divisor)
                    rest %= divisor
                    divisor /= 10
                    length += 1
                }
            }
            func byte(_ ascii: Unicode.Scalar) {
                buffer[length] = UInt8(ascii: ascii)
                length += 1
            }
            digits(y, 4); byte("-"); digits(mo, 2); byte("-"); digits(d, 2); byte("T")
            digits(h, 2); byte(":"); digits(mi, 2); byte(":"); digits(s, 2)
            if fractional && millis != 0 { byte("."); digits(millis, 3) }
            byte("Z")
            return body(UnsafeBufferPointer(rebasing: buffer[0..<length]))
        }
    }

    /// The UTC calendar fields of a Unix time.
    public static func civil(_ unix: Int) -> (year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) {
        let days = unix >= 0 ? unix / 86_400 : (unix - 86_399) / 86_400
        let rem = unix - days * 86_400
        let (y, m, d) = civilFromDays(days)
        return (y, m, d, rem / 3600, (rem % 3600) / 60, rem % 60)
    }

    static func pad(_ v: Int, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    static func daysInMonth(_ y: Int, _ m: Int) -> Int {
        switch m {
        case 2: return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    // Howard Hinnant's civil-date algorithms (proleptic Gregorian, any year).
    static func daysFromCivil(_ year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civilFromDays(_ z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }
}
