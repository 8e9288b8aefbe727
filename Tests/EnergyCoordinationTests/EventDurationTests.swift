import Testing
@testable import EnergyCoordination

/// .NET TimeSpan and ISO 8601 duration parsing (design.md §1.3, energy-coordination.md §3.3).
struct EventDurationTests {
    static let table: [(String, EventDuration.Value?)] = [
        // .NET TimeSpan
        ("00:00:00", .seconds(0)),
        ("02:00:00", .seconds(7200)),
        ("00:05:00", .seconds(300)),
        ("23:59:59", .seconds(86_399)),
        ("1.00:00:00", .seconds(86_400)),
        ("1.02:03:04", .seconds(93_784)),
        ("00:00:01.5", .seconds(1)),
        ("00:00:01.9999999", .seconds(1)),
        ("10675199.02:48:05.4775807", .openEnded), // TimeSpan.MaxValue
        ("-01:00:00", nil),
        ("25:00:00", nil),
        ("24:00:00", nil),
        ("00:60:00", nil),
        ("00:00:60", nil),
        ("1:2:3", nil),
        ("01:00", nil),
        ("1.", nil),
        (".01:00:00", nil),
        ("00:00:00.", nil),
        ("00:00:00.12345678", nil),
        ("123456789.00:00:00", nil),
        ("02:00:00Z", nil),
        (" 02:00:00", nil),
        ("", nil),
        // ISO 8601
        ("PT0S", .seconds(0)),
        ("PT2H", .seconds(7200)),
        ("PT1H30M", .seconds(5400)),
        ("PT90M", .seconds(5400)),
        ("PT1.5S", .seconds(1)),
        ("PT0.5S", .seconds(0)),
        ("PT0,5H", .seconds(1800)),
        ("P1D", .seconds(86_400)),
        ("P1W", .seconds(604_800)),
        ("P1DT2H", .seconds(93_600)),
        ("P9999Y", .openEnded),
        ("P10000Y", .openEnded),
        ("PT87600000H", .openEnded), // more than 9999 years of hours
        ("PT" + String(repeating: "9", count: 60) + "H", .openEnded), // Decimal overflow
        ("P", nil),
        ("PT", nil),
        ("P1DT", nil),
        ("P1Y", nil),
        ("P0Y", nil),
        ("P1M", nil),
        ("PT1M1H", nil),
        ("PT1.5H30M", nil),
        ("P1H", nil),
        ("PT1D", nil),
        ("-PT1H", nil),
        ("pt1h", nil),
        ("PT1HT1M", nil),
        ("PT.5S", nil),
        ("PT1", nil),
        ("P1D1D", nil),
    ]

    @Test(arguments: table.indices)
    func parses(index: Int) {
        let (text, expected) = Self.table[index]
        #expect(EventDuration.parse(text) == expected, "\(text)")
    }

    @Test func formatting() {
        #expect(EventDuration.timeSpanText(seconds: 7200) == "02:00:00")
        #expect(EventDuration.timeSpanText(seconds: 93_784) == "1.02:03:04")
        #expect(EventDuration.iso8601Text(seconds: 0) == "PT0S")
        #expect(EventDuration.iso8601Text(seconds: 93_784) == "P1DT2H3M4S")
        #expect(EventDuration.iso8601Text(seconds: 86_400) == "P1D")
    }

    @Test func overlongTextIsRejected() {
        #expect(EventDuration.parse("PT" + String(repeating: "0", count: 70) + "1S") == nil)
    }

    /// Random whole seconds → both syntaxes → parse back equal (seeded, bounded).
    @Test func roundTripProperty() {
        var random = SplitMix64(seed: 0xEC_B41D6E)
        for _ in 0..<2000 {
            let scale = [60, 3600, 86_400, 86_400 * 400][Int.random(in: 0..<4, using: &random)]
            let seconds = Int.random(in: 0..<scale, using: &random)
            #expect(EventDuration.parse(EventDuration.timeSpanText(seconds: seconds)) == .seconds(seconds))
            #expect(EventDuration.parse(EventDuration.iso8601Text(seconds: seconds)) == .seconds(seconds))
        }
    }

    /// Mutated duration texts never crash the parser and never yield a negative duration.
    @Test func mutationFuzz() {
        var random = SplitMix64(seed: 42)
        let seeds = Self.table.map(\.0).filter { !$0.isEmpty }
        let alphabet = Array("0123456789PTYMWDHS.,:-+ Z".utf8)
        for _ in 0..<3000 {
            var bytes = Array(seeds[Int.random(in: 0..<seeds.count, using: &random)].utf8)
            for _ in 0..<Int.random(in: 1...3, using: &random) {
                let position = Int.random(in: 0...bytes.count, using: &random)
                let byte = alphabet[Int.random(in: 0..<alphabet.count, using: &random)]
                switch Int.random(in: 0..<3, using: &random) {
                case 0: bytes.insert(byte, at: position)
                case 1 where position < bytes.count: bytes[position] = byte
                default: if position < bytes.count { bytes.remove(at: position) }
                }
            }
            if case let .seconds(seconds)? = EventDuration.parse(String(decoding: bytes, as: UTF8.self)) {
                #expect(seconds >= 0 && seconds < EventDuration.openEndedThresholdSeconds)
            }
        }
    }
}
