/// Byte-level character classes from RFC 9110/9112, used instead of String APIs so validation is exact
/// (e.g. `Int("+5")` would accept a sign that Content-Length forbids).
enum ASCII {
    static let cr: UInt8 = 0x0D
    static let lf: UInt8 = 0x0A
    static let space: UInt8 = 0x20
    static let tab: UInt8 = 0x09

    static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    /// Compares `bytes` with an already lower-case ASCII pattern, ignoring the case of letters in `bytes`.
    static func equalsLowercase(_ bytes: UnsafeBufferPointer<UInt8>, _ pattern: [UInt8]) -> Bool {
        guard bytes.count == pattern.count else { return false }
        for index in 0 ..< bytes.count {
            var byte = bytes[index]
            if byte >= UInt8(ascii: "A"), byte <= UInt8(ascii: "Z") { byte |= 0x20 }
            if byte != pattern[index] { return false }
        }
        return true
    }

    /// `1*DIGIT` without sign, whitespace or overflow; nil otherwise.
    static func parseDecimal(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard !bytes.isEmpty else { return nil }
        var value = 0
        for byte in bytes {
            guard isDigit(byte) else { return nil }
            let (shifted, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = shifted.addingReportingOverflow(Int(byte - UInt8(ascii: "0")))
            guard !overflow1, !overflow2 else { return nil }
            value = sum
        }
        return value
    }

    /// For `http://…` or `https://…` (scheme case-insensitive), the index where the authority starts.
    static func absoluteFormAuthorityStart(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        for scheme in [Array("http://".utf8), Array("https://".utf8)] where bytes.count > scheme.count {
            if equalsLowercase(UnsafeBufferPointer(rebasing: bytes[0 ..< scheme.count]), scheme) { return scheme.count }
        }
        return nil
    }
}
