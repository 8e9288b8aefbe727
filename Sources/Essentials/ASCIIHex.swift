/// The value of one ASCII hexadecimal digit (either case), for percent-decoding, hex decoding and HTTP
/// chunk sizes.
///
/// Why one place: the same six-line switch had grown in four modules.
public enum ASCIIHex {
    /// 0–15 for `0-9`, `a-f`, `A-F`; nil for any other byte.
    public static func value(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0") ... UInt8(ascii: "9"): return byte &- UInt8(ascii: "0")
        case UInt8(ascii: "a") ... UInt8(ascii: "f"): return byte &- UInt8(ascii: "a") &+ 10
        case UInt8(ascii: "A") ... UInt8(ascii: "F"): return byte &- UInt8(ascii: "A") &+ 10
        default: return nil
        }
    }
}
