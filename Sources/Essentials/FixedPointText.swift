#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A `Double` written with a fixed number of fraction digits, as C's `printf("%.*f")` writes it.
///
/// Why: `String(format: "%.2f", value)` is Foundation (not FoundationEssentials); on Linux it formats
/// through the C library's printf as well, so the text is the same, `nan` and `inf` included.
public enum FixedPointText {
    public static func format(_ value: Double, fractionDigits: Int) -> String {
        let digits = Int32(clamping: max(0, min(fractionDigits, 40)))
        // 40 fraction digits of the largest double stay below 400 bytes.
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: 400) { buffer in
            let written = withVaList([digits, value]) { arguments in
                vsnprintf(buffer.baseAddress, buffer.count, "%.*f", arguments)
            }
            guard written > 0 else { return "" }
            let length = min(Int(written), buffer.count - 1)
            return String(decoding: UnsafeRawBufferPointer(start: buffer.baseAddress, count: length), as: UTF8.self)
        }
    }
}
