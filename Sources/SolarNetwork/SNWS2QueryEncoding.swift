import Essentials

/// SNWS2's canonical query string and the decoding of a URL query into the parameters the server sees.
///
/// Why both: the server signs its *decoded* parameter map, so a client must decode what it sends
/// (servlet rules: `+` is a space, `%XX` a byte) and re-encode it canonically.
public enum SNWS2QueryEncoding {
    /// Sorts pairs by name (UTF-16 code-unit order, as Java's `String.compareTo`; equal names keep their
    /// order), percent-encodes every UTF-8 byte outside `A–Z a–z 0–9 - _ . ~` as upper-case `%XX`
    /// (space is `%20`), and joins `name=value` with `&`. No parameters → empty string.
    public static func canonical(_ query: [(String, String)]) -> String {
        let sorted = query.enumerated().sorted { a, b in
            let na = Array(a.element.0.utf16), nb = Array(b.element.0.utf16)
            if na != nb { return na.lexicographicallyPrecedes(nb) }
            return a.offset < b.offset
        }
        return sorted.map { encode($0.element.0) + "=" + encode($0.element.1) }.joined(separator: "&")
    }

    /// RFC 3986 encoding of every byte except the unreserved set, upper-case hex.
    public static func encode(_ text: String) -> String {
        let hex: [UInt8] = Array("0123456789ABCDEF".utf8)
        var out = [UInt8]()
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"),
                 UInt8(ascii: "."), UInt8(ascii: "~"):
                out.append(byte)
            default:
                out.append(UInt8(ascii: "%"))
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0x0F)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The decoded parameters of a raw (percent-encoded) query string, in order. `+` decodes to a space;
    /// a `%` not followed by two hex digits is kept literally; a name without `=` has an empty value.
    public static func decodeQuery(_ raw: String) -> [(String, String)] {
        raw.split(separator: "&", omittingEmptySubsequences: true).map { item in
            if let equals = item.firstIndex(of: "=") {
                return (formDecode(item[..<equals]), formDecode(item[item.index(after: equals)...]))
            }
            return (formDecode(item), "")
        }
    }

    static func formDecode(_ text: Substring) -> String {
        let input = Array(text.utf8)
        var out = [UInt8]()
        var index = 0
        while index < input.count {
            let byte = input[index]
            if byte == UInt8(ascii: "+") {
                out.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"), index + 2 < input.count,
                      let high = ASCIIHex.value(input[index + 1]), let low = ASCIIHex.value(input[index + 2]) {
                out.append(high << 4 | low)
                index += 2
            } else {
                out.append(byte)
            }
            index += 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}
