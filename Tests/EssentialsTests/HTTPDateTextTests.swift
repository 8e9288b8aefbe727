import Foundation
import Testing
@testable import Essentials

/// `HTTPDateText` against the `DateFormatter` patterns it replaces, for real and lenient HTTP dates.
@Suite struct HTTPDateTextTests {
    /// What `RetryAfter` did before FoundationEssentials: the three patterns, first match wins.
    static func dateFormatter(_ text: String) -> Date? {
        for format in ["EEE, dd MMM yyyy HH:mm:ss zzz", "EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM d HH:mm:ss yyyy"] {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "GMT")
            formatter.dateFormat = format
            if let date = formatter.date(from: text) { return date }
        }
        return nil
    }

    /// Every form `DateFormatter` read that an HTTP peer could plausibly send, and malformed ones it refused.
    static let agreed = [
        "Wed, 21 Oct 2015 07:28:00 GMT", "Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT",
        "Sun Nov  6 08:49:37 1994", "Sun Nov 6 08:49:37 1994", "Wed Oct 21 07:28:00 2015", "Wed Oct 01 07:28:00 2015",
        "Wed, 1 Oct 2015 07:28:00 GMT", "Wed, 01 Oct 2015 7:28:00 GMT", "Thu, 21 Oct 2015 07:28:00 GMT",
        "Wednesday, 21 Oct 2015 07:28:00 GMT", "wed, 21 oct 2015 07:28:00 gmt", "WED, 21 OCT 2015 07:28:00 GMT",
        "Wed, 21 October 2015 07:28:00 GMT", "Wed, 21 Oct 2015 07:28:00 UTC", "Wed, 21 Oct 2015 07:28:00 Z",
        "Wed, 21 Oct 2015 07:28:00 +0000", "Wed, 21 Oct 2015 07:28:00 +0130", "Wed, 21 Oct 2015 07:28:00 -0800",
        "Wed, 21 Oct 2015 07:28:00 GMT+01:00", "Wed, 21 Oct 2015 07:28:00 GMT+1", "Wed, 21 Oct 2015 07:28:00 GMT-0",
        "Wed, 21 Oct 2015 07:28:00 GMT-05:30", "Wed,  21 Oct 2015 07:28:00 GMT", "Wed 21 Oct 2015 07:28:00 GMT",
        "Wed, 21 Oct 2015  07:28:00  GMT", "Wednesday, 21-Oct-15 07:28:00 GMT", "Wednesday, 21-Oct-2015 07:28:00 GMT",
        "Wed, 21-Oct-15 07:28:00 GMT", "Monday, 21-Oct-15 07:28:00 GMT", "Wednesday, 21-Oct-99 07:28:00 GMT",
        "Wednesday, 21-Oct-50 07:28:00 GMT", "Wednesday, 21-Oct-40 07:28:00 GMT", "Tue, 29 Feb 2028 12:00:00 GMT",
        "Wed, 21 Sep 2015 07:28:00 GMT",
        // Refused by both.
        "Wed, 21 Oct 2015 07:28:00", "Wed, 21 Oct 2015 07:28:00 GMT x", "Wed,21 Oct 2015 07:28:00 GMT",
        "Wed, 21 Oct 2015 07:28:60 GMT", "Wed, 31 Feb 2015 07:28:00 GMT", "Wed, 21 Oct 2015 24:00:00 GMT",
        "Mon, 29 Feb 2027 12:00:00 GMT", "Wed Oct 21 07:28:00 2015 GMT", "Wed, 21 Oct 2015 07:28 GMT",
        "Wed, 21 Oct 2015 07:28:00.5 GMT", "Wed, 21 Oct 2015 07:28:00 CET", "Wed, 21 Oct 2015 07:28:00 Europe/Berlin",
        "Wed, 21 Sept 2015 07:28:00 GMT", "Xyz, 21 Oct 2015 07:28:00 GMT", "Wed, 21 Foo 2015 07:28:00 GMT", "soon", "",
        "2015-10-21T07:28:00Z", "Wed, 21 Oct 2015 07:28:00 GMT+", "Wed, -1 Oct 2015 07:28:00 GMT",
    ]

    @Test func readsWhatDateFormatterRead() {
        let now = Date()
        for text in Self.agreed {
            #expect(HTTPDateText.parse(text, now: now) == Self.dateFormatter(text), "\(text)")
        }
    }

    @Test func readsTheThreeRFCForms() {
        let now = Date(timeIntervalSince1970: 1_445_412_480)
        let expected = Date(timeIntervalSince1970: 784_111_777)
        #expect(HTTPDateText.parse("Sun, 06 Nov 1994 08:49:37 GMT", now: now) == expected)
        #expect(HTTPDateText.parse("Sunday, 06-Nov-94 08:49:37 GMT", now: now) == expected)
        #expect(HTTPDateText.parse("Sun Nov  6 08:49:37 1994", now: now) == expected)
        // Two-digit years fall in the century starting 80 years before `now`.
        #expect(HTTPDateText.parse("Monday, 01-Jan-35 00:00:00 GMT", now: now) == Date(timeIntervalSince1970: -1_104_537_600))
        #expect(HTTPDateText.parse("Tuesday, 01-Jan-34 00:00:00 GMT", now: now) == Date(timeIntervalSince1970: 2_019_686_400))
    }

    /// Forms `DateFormatter` read by accident, refused here on purpose (a peer sending them is broken, and
    /// the retry policy's own back-off then applies).
    @Test func refusesWhatOnlyICUReadByAccident() {
        let now = Date()
        for text in ["Wed, 21 Oct 15 07:28:00 GMT", "Wed, 21 Oct 12015 07:28:00 GMT", "Wed, 21 Oct 2015 07:28:00 PST",
                     "Wed, 021 Oct 2015 07:28:00 GMT", "Wed, 0021 Oct 2015 07:28:00 GMT", "Wed, 21 Oct 2015 007:28:00 GMT"] {
            #expect(HTTPDateText.parse(text, now: now) == nil, "\(text)")
        }
    }
}
