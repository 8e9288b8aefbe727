import FoundationEssentials

/// Reads HTTP dates (RFC 9110 §5.6.7), as in `Retry-After`: IMF-fixdate `Sun, 06 Nov 1994 08:49:37 GMT`,
/// the obsolete RFC 850 `Sunday, 06-Nov-94 08:49:37 GMT` and asctime `Sun Nov  6 08:49:37 1994`.
///
/// Why: these were read with `DateFormatter` (patterns `EEE, dd MMM yyyy HH:mm:ss zzz`,
/// `EEEE, dd-MMM-yy HH:mm:ss zzz`, `EEE MMM d HH:mm:ss yyyy`, POSIX locale, GMT), which is not in
/// FoundationEssentials. This accepts what those patterns accepted for every real HTTP date, with the
/// same leniency: day and month names in any case, abbreviated or full; the day name not checked
/// against the date; one or two digits for day, hour, minute and second; runs of spaces; the comma
/// after the day name optional in IMF-fixdate. The zone is `GMT`, `UTC`, `Z`, `±hhmm` or `GMT±h[h][:mm]`.
/// A two-digit RFC 850 year falls in the 100 years from 80 years before `now`, as `DateFormatter`
/// placed it. Impossible dates and times (31 February, 24:00, second 60) are refused, as they were.
/// Refused now, though `DateFormatter` read them: zone names such as `PST` (HTTP dates are always GMT),
/// fields with extra leading zeros (`021`), and IMF-fixdate years of other than four digits (it read
/// `15` as the year 15 and `12015` as 2015).
public enum HTTPDateText {
    public static func parse(_ text: String, now: Date) -> Date? {
        let bytes = Array(text.utf8)
        return imfFixdate(bytes) ?? rfc850(bytes, now: now) ?? asctime(bytes)
    }

    /// `EEE[,] dd MMM yyyy HH:mm:ss zone`.
    private static func imfFixdate(_ bytes: [UInt8]) -> Date? {
        var reader = Reader(bytes: bytes)
        guard reader.dayName() else { return nil }
        _ = reader.literal(UInt8(ascii: ","))
        guard reader.spaces(), let day = reader.number(digits: 1 ... 2), reader.spaces(),
              let month = reader.monthName(), reader.spaces(), let year = reader.number(digits: 4 ... 4),
              reader.spaces(), let time = reader.time(), reader.spaces(), let offset = reader.zone(),
              reader.atEnd else { return nil }
        return date(year: year, month: month, day: day, time: time, offsetSeconds: offset)
    }

    /// `EEEE, dd-MMM-yy HH:mm:ss zone` (a four-digit year is taken as written).
    private static func rfc850(_ bytes: [UInt8], now: Date) -> Date? {
        var reader = Reader(bytes: bytes)
        guard reader.dayName(), reader.literal(UInt8(ascii: ",")), reader.spaces(),
              let day = reader.number(digits: 1 ... 2), reader.literal(UInt8(ascii: "-")),
              let month = reader.monthName(), reader.literal(UInt8(ascii: "-")),
              let written = reader.counted(digits: 2 ... 4), written.count != 3, reader.spaces(),
              let time = reader.time(), reader.spaces(), let offset = reader.zone(), reader.atEnd else { return nil }
        let year = written.count == 2 ? twoDigitYear(written.value, now: now) : written.value
        return date(year: year, month: month, day: day, time: time, offsetSeconds: offset)
    }

    /// `EEE MMM d HH:mm:ss yyyy`, no zone (GMT).
    private static func asctime(_ bytes: [UInt8]) -> Date? {
        var reader = Reader(bytes: bytes)
        guard reader.dayName(), reader.spaces(), let month = reader.monthName(), reader.spaces(),
              let day = reader.number(digits: 1 ... 2), reader.spaces(), let time = reader.time(),
              reader.spaces(), let year = reader.number(digits: 4 ... 4), reader.atEnd else { return nil }
        return date(year: year, month: month, day: day, time: time, offsetSeconds: 0)
    }

    /// The year of `yy` in the century that starts 80 years before `now`.
    private static func twoDigitYear(_ yy: Int, now: Date) -> Int {
        let startYear = Timestamp.civil(Int(now.timeIntervalSince1970.rounded(.down))).year - 80
        let year = (startYear / 100) * 100 + yy
        return yy < startYear % 100 ? year + 100 : year
    }

    private static func date(year: Int, month: Int, day: Int, time: (hour: Int, minute: Int, second: Int),
                             offsetSeconds: Int) -> Date? {
        guard day >= 1, day <= Timestamp.daysInMonth(year, month), time.hour < 24, time.minute < 60,
              time.second < 60 else { return nil }
        let days = Timestamp.daysFromCivil(year, month, day)
        let seconds = days * 86_400 + time.hour * 3600 + time.minute * 60 + time.second - offsetSeconds
        return Date(timeIntervalSince1970: Double(seconds))
    }

    private static let dayNames = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]
    private static let monthNames = ["january", "february", "march", "april", "may", "june", "july", "august",
                                     "september", "october", "november", "december"]

    /// A cursor over the text's bytes.
    private struct Reader {
        let bytes: [UInt8]
        var index = 0

        var atEnd: Bool { index == bytes.count }

        /// One or more spaces.
        mutating func spaces() -> Bool {
            let start = index
            while index < bytes.count, bytes[index] == UInt8(ascii: " ") { index += 1 }
            return index > start
        }

        mutating func literal(_ byte: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }

        /// A decimal number of `digits` digits (as many as there are, up to the upper bound).
        mutating func number(digits: ClosedRange<Int>) -> Int? {
            counted(digits: digits)?.value
        }

        /// `number(digits:)` and how many digits it had.
        mutating func counted(digits: ClosedRange<Int>) -> (value: Int, count: Int)? {
            var value = 0
            var count = 0
            while index < bytes.count, count < digits.upperBound, let digit = Reader.digit(bytes[index]) {
                value = value * 10 + digit
                count += 1
                index += 1
            }
            return digits.contains(count) ? (value, count) : nil
        }

        /// `H[H]:M[M]:S[S]`.
        mutating func time() -> (hour: Int, minute: Int, second: Int)? {
            guard let hour = number(digits: 1 ... 2), literal(UInt8(ascii: ":")), let minute = number(digits: 1 ... 2),
                  literal(UInt8(ascii: ":")), let second = number(digits: 1 ... 2) else { return nil }
            return (hour, minute, second)
        }

        /// A day name, abbreviated to three letters or in full, in any case.
        mutating func dayName() -> Bool {
            name(in: HTTPDateText.dayNames) != nil
        }

        /// A month name, abbreviated to three letters or in full, in any case: 1…12.
        mutating func monthName() -> Int? {
            name(in: HTTPDateText.monthNames).map { $0 + 1 }
        }

        /// The index of the name the letters here spell (in full, or its first three letters).
        private mutating func name(in names: [String]) -> Int? {
            let start = index
            while index < bytes.count, Reader.isLetter(bytes[index]) { index += 1 }
            let word = String(decoding: bytes[start ..< index].map { $0 | 0x20 }, as: UTF8.self)
            guard let found = names.firstIndex(where: { $0 == word || $0.prefix(3) == word }) else {
                index = start
                return nil
            }
            return found
        }

        /// Seconds east of GMT.
        mutating func zone() -> Int? {
            let start = index
            while index < bytes.count, Reader.isLetter(bytes[index]) { index += 1 }
            let name = String(decoding: bytes[start ..< index].map { $0 | 0x20 }, as: UTF8.self)
            switch name {
            case "":
                return numericOffset(minutesOptional: false)
            case "gmt", "utc":
                if atEnd { return 0 }
                return numericOffset(minutesOptional: true)
            case "z":
                return 0
            default:
                return nil
            }
        }

        /// `±hhmm`, or after `GMT` also `±h[h]` and `±h[h]:mm`.
        private mutating func numericOffset(minutesOptional: Bool) -> Int? {
            guard index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") else { return nil }
            let sign = bytes[index] == UInt8(ascii: "-") ? -1 : 1
            index += 1
            let hours: Int, minutes: Int
            if minutesOptional {
                guard let h = number(digits: 1 ... 2) else { return nil }
                hours = h
                if literal(UInt8(ascii: ":")) {
                    guard let m = number(digits: 2 ... 2) else { return nil }
                    minutes = m
                } else {
                    minutes = 0
                }
            } else {
                guard let hhmm = number(digits: 4 ... 4) else { return nil }
                hours = hhmm / 100
                minutes = hhmm % 100
            }
            guard hours < 24, minutes < 60 else { return nil }
            return sign * (hours * 3600 + minutes * 60)
        }

        private static func digit(_ byte: UInt8) -> Int? {
            byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") ? Int(byte - UInt8(ascii: "0")) : nil
        }

        private static func isLetter(_ byte: UInt8) -> Bool {
            (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
        }
    }
}
