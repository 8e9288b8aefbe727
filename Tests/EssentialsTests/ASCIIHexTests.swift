import Essentials
import Testing

/// Every byte: exactly the 22 hex digits have a value, and it is the digit's.
struct ASCIIHexTests {
    @Test func everyByte() {
        let digits = Array("0123456789abcdef".utf8)
        for byte in UInt8.min ... UInt8.max {
            let expected = digits.firstIndex(of: byte) ?? digits.firstIndex(of: byte | 0x20).flatMap { index in
                byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "F") ? index : nil
            }
            #expect(ASCIIHex.value(byte) == expected.map { UInt8($0) }, "byte \(byte)")
        }
    }
}
