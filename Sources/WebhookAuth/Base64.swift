/// Standard Base64 (RFC 4648 §4, `+/`, `=` padding) for `X-Payload-Signature`, `webhook-signature`,
/// `whsec_` keys and the SNWS2 `Digest` header.
///
/// Why hand-written and strict: Foundation's decoder tolerates options we do not want. Here decoding
/// accepts only the standard alphabet, a length that is a multiple of 4, correct padding and zero unused
/// bits, so every byte string has exactly one accepted text form. No whitespace, no URL-safe alphabet.
public enum Base64 {
    private static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    private static let pad = UInt8(ascii: "=")

    /// Padded standard Base64 of `bytes`.
    public static func encode<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        let input = Array(bytes)
        var out = [UInt8]()
        out.reserveCapacity((input.count + 2) / 3 * 4)
        var index = 0
        while index + 3 <= input.count {
            let n = UInt32(input[index]) << 16 | UInt32(input[index + 1]) << 8 | UInt32(input[index + 2])
            out.append(alphabet[Int(n >> 18 & 63)])
            out.append(alphabet[Int(n >> 12 & 63)])
            out.append(alphabet[Int(n >> 6 & 63)])
            out.append(alphabet[Int(n & 63)])
            index += 3
        }
        switch input.count - index {
        case 1:
            let n = UInt32(input[index]) << 16
            out.append(alphabet[Int(n >> 18 & 63)])
            out.append(alphabet[Int(n >> 12 & 63)])
            out.append(pad)
            out.append(pad)
        case 2:
            let n = UInt32(input[index]) << 16 | UInt32(input[index + 1]) << 8
            out.append(alphabet[Int(n >> 18 & 63)])
            out.append(alphabet[Int(n >> 12 & 63)])
            out.append(alphabet[Int(n >> 6 & 63)])
            out.append(pad)
        default:
            break
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The bytes of strict, padded standard Base64 text; `nil` for anything else (including whitespace,
    /// `-_`, missing padding or non-zero unused bits). The empty string decodes to no bytes.
    public static func decode(_ text: String) -> [UInt8]? {
        let chars = Array(text.utf8)
        guard chars.count % 4 == 0 else { return nil }
        var out = [UInt8]()
        out.reserveCapacity(chars.count / 4 * 3)
        var index = 0
        while index < chars.count {
            let isLast = index + 4 == chars.count
            let c0 = chars[index], c1 = chars[index + 1], c2 = chars[index + 2], c3 = chars[index + 3]
            guard let v0 = value(c0), let v1 = value(c1) else { return nil }
            if isLast && c2 == pad {
                // "xx==": one byte; the low 4 bits of v1 must be zero.
                guard c3 == pad, v1 & 0x0F == 0 else { return nil }
                out.append(v0 << 2 | v1 >> 4)
            } else if isLast && c3 == pad {
                // "xxx=": two bytes; the low 2 bits of v2 must be zero.
                guard let v2 = value(c2), v2 & 0x03 == 0 else { return nil }
                out.append(v0 << 2 | v1 >> 4)
                out.append((v1 & 0x0F) << 4 | v2 >> 2)
            } else {
                guard let v2 = value(c2), let v3 = value(c3) else { return nil }
                out.append(v0 << 2 | v1 >> 4)
                out.append((v1 & 0x0F) << 4 | v2 >> 2)
                out.append((v2 & 0x03) << 6 | v3)
            }
            index += 4
        }
        return out
    }

    private static func value(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): return c - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): return c - UInt8(ascii: "a") + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0") + 52
        case UInt8(ascii: "+"): return 62
        case UInt8(ascii: "/"): return 63
        default: return nil
        }
    }
}
