import EnergyCoordination
import Essentials
import Foundation
import WebhookAuth

/// `ecbridge-bench decode`: the intake's per-webhook JSON work, in-process and without a socket or store:
/// `NotificationDecoder.decode` of N distinct ~1 KB ec-v1 `CurrentLevel` bodies, each followed by the
/// event's `compactJSONText` (what `inbox show` derives; the intake stored it until it kept only the
/// raw body, and the checksum over it still pins the decoder's output).
///
/// Why: meant to run under `valgrind --tool=callgrind`, where instruction counts are stable on a busy
/// machine while wall-clock timings are not. Bodies are built up front and the run id is fixed, so two
/// runs do the same work and print the same checksum. `decodeOne` and `renderOne` are kept out of line
/// so callgrind's inclusive costs separate the two halves.
enum DecodeCommand {
    static let usage = """
    usage: ecbridge-bench decode [--events 2000] [--body-size 1024] [--json]

    Builds N distinct signed-intake-style ec-v1 CurrentLevel bodies (as `intake` sends them), then decodes
    each with NotificationDecoder.decode as the intake does per webhook, and renders its compactJSONText.
    Prints a checksum of every dedupe key and event text (it must not change with optimisations)
    and wall-clock figures (indicative only; measure with callgrind for decisions).
    """

    static func run(_ argv: [String]) throws -> Int32 {
        let arguments = try BenchArguments(argv, valued: ["events", "body-size"])
        let count = max(1, try arguments.int("events", default: 2000))
        let factory = SignedEventFactory(target: TargetURL(host: "127.0.0.1", port: 80, path: "/webhook"),
                                         scheme: .spark, secret: "bench-secret",
                                         bodySize: max(200, try arguments.int("body-size", default: 1024)),
                                         runId: "bench-decode")
        let bodies = (0 ..< count).map(factory.body)
        let options = DecodeOptions()

        var checksum = Checksum()
        var bodyBytes = 0
        var textBytes = 0
        let start = MonotonicClock.now()
        for body in bodies {
            let decoded = try decodeOne(body, options: options)
            let text = renderOne(decoded.event)
            checksum.add(decoded.dedupeKey)
            checksum.add(text)
            bodyBytes += body.count
            textBytes += text.utf8.count
        }
        let seconds = MonotonicClock.seconds(MonotonicClock.now() - start)

        var report = BenchReport("decode: \(count) ec-v1 CurrentLevel bodies → NotificationDecoder.decode + compactJSONText")
        report.add("events", count)
        report.add("meanBodyBytes", bodyBytes / count)
        report.add("meanEventJSONBytes", textBytes / count)
        report.add("checksum", String(checksum.value, radix: 16))
        report.add("microsecondsPerEvent", seconds * 1_000_000 / Double(count), digits: 2)
        report.print(json: arguments.has("json"))
        return 0
    }

    @inline(never)
    static func decodeOne(_ body: [UInt8], options: DecodeOptions) throws -> DecodedNotification {
        try NotificationDecoder.decode(body: body, options: options, bodySHA256Hex: { Hex.encode(SHA256.hash(body)) })
    }

    @inline(never)
    static func renderOne(_ event: CoordinationEvent) -> String { event.compactJSONText }

    /// FNV-1a over every byte seen, with a separator between texts.
    struct Checksum {
        private(set) var value: UInt64 = 0xCBF2_9CE4_8422_2325

        mutating func add(_ text: String) {
            for byte in text.utf8 { mix(byte) }
            mix(0xFF)
        }

        private mutating func mix(_ byte: UInt8) {
            value = (value ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
    }
}
