/// Appends integers as decimal ASCII digits to a byte buffer, spelled exactly as `String(value)` spells them.
///
/// Why: `String(value)` for an integer goes through the standard library's general radix formatting and
/// builds a String that is copied and freed at once; the event JSON writes several integers per webhook.
enum DecimalDigits {
    static func append(_ value: Int, to out: inout [UInt8]) {
        var magnitude = value.magnitude
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 24) { buffer in
            var at = buffer.count
            repeat {
                at -= 1
                buffer[at] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: magnitude % 10)
                magnitude /= 10
            } while magnitude != 0
            if value < 0 {
                at -= 1
                buffer[at] = UInt8(ascii: "-")
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[at...]))
        }
    }
}
