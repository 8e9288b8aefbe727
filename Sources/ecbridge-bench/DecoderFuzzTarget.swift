import EnergyCoordination
import Essentials

/// `NotificationDecoder`: never traps on any body, and an event it accepts survives the inbox round trip
/// (`CoordinationEvent.json` → `CoordinationEvent(json:)`) unchanged — the planner reads the stored form.
struct DecoderFuzzTarget: FuzzTarget {
    let name = "decoder"
    let structured = true
    let interestingBytes: [UInt8] = Array("{}[]\":,.-+eE0123456789PTHMSDWY:".utf8) + [0x00, 0xC3, 0xFF]
    let options = DecodeOptions()
    private var accepted = 0
    private var refused = 0
    private var byDialect: [String: Int] = [:]

    var tally: String {
        "\(accepted) decoded (" + byDialect.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            + "), \(refused) refused"
    }

    mutating func check(_ input: [UInt8], cut: Int) -> String? {
        let decoded: DecodedNotification
        do {
            decoded = try NotificationDecoder.decode(body: input, bodySHA256Hex: "fuzz", options: options)
        } catch {
            refused += 1
            return nil
        }
        accepted += 1
        byDialect[decoded.event.dialect.rawValue, default: 0] += 1
        if decoded.dedupeKey.isEmpty { return "empty dedupe key" }
        let stored = decoded.event.json
        let reread: CoordinationEvent
        do {
            reread = try CoordinationEvent(json: JSON.parse(stored.compactText))
        } catch {
            return "the stored event JSON cannot be read back: \(error)"
        }
        if reread != decoded.event { return "the event read back from its stored JSON differs from the decoded event" }
        return nil
    }
}
