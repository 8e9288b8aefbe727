import Essentials

/// `Essentials.JSON`, the strict parser on the webhook hot path: what it accepts must print and re-parse
/// to the same value, and printing must be stable.
struct JSONFuzzTarget: FuzzTarget {
    let name = "json"
    let structured = true
    let interestingBytes: [UInt8] = Array("{}[]\":,.-+eE0123456789tfn\\u \t\r\n".utf8) + [0x00, 0x7F, 0xC3, 0xED, 0xF4, 0xFF]
    private var accepted = 0
    private var refused = 0

    var tally: String { "\(accepted) accepted, \(refused) refused" }

    mutating func check(_ input: [UInt8], cut: Int) -> String? {
        guard let value = try? JSON.parse(input) else {
            refused += 1
            return nil
        }
        accepted += 1
        let text = value.compactText
        guard let again = try? JSON.parse(text) else { return "compactText of an accepted document does not parse" }
        if again != value { return "compactText does not re-parse to the same value" }
        if again.compactText != text { return "compactText is not stable" }
        guard let pretty = try? JSON.parse(value.prettyText), pretty == value else { return "prettyText does not re-parse to the same value" }
        return nil
    }
}
