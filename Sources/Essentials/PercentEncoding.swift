/// Percent-encoding of URL path segments, and decoding.
///
/// Why: `addingPercentEncoding(withAllowedCharacters:)`, `removingPercentEncoding` and `CharacterSet` are
/// not in FoundationEssentials. These give Foundation's results for the uses here.
public enum PercentEncoding {
    /// `text.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed minus "/")`: every byte of the
    /// UTF-8 text except ASCII letters, digits and `!$&'()*+,-.:=@_~` becomes `%XX` (upper-case hex), so
    /// the result is one path segment.
    public static func encodePathSegment(_ text: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            if isAllowedInPathSegment(byte) {
                out.append(byte)
            } else {
                out.append(UInt8(ascii: "%"))
                out.append(hexDigits[Int(byte >> 4)])
                out.append(hexDigits[Int(byte & 0x0F)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `text.removingPercentEncoding`: every `%XX` (either case) becomes its byte; `nil` when a `%` is not
    /// followed by two hex digits or the bytes are not UTF-8 (where Foundation has one quirk: a lone
    /// byte 0xA9 becomes U+FFFD there).
    public static func decode(_ text: String) -> String? {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                out.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(ASCIIHex.value), let low = iterator.next().flatMap(ASCIIHex.value) else {
                return nil
            }
            out.append(high << 4 | low)
        }
        return String(validating: out, as: UTF8.self)
    }

    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    private static func isAllowedInPathSegment(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a") ... UInt8(ascii: "z"), UInt8(ascii: "A") ... UInt8(ascii: "Z"),
             UInt8(ascii: "0") ... UInt8(ascii: "9"):
            return true
        default:
            return "!$&'()*+,-.:=@_~".utf8.contains(byte)
        }
    }
}
