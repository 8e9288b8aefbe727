import Foundation
import Testing
@testable import SmartCharging

/// `StableHash.combine` hashes contiguous UTF-8 directly; it must equal hashing byte by byte.
@Suite struct StableHashTests {
    @Test func combineEqualsByteByByteHashing() {
        let texts = ["", "a", "ab", "Évènement ⚡️ 16.1 A", String(repeating: "{\"limit\":16.1}", count: 200),
                     String("prefix-and-substring".dropFirst(7))]
        for text in texts {
            var combined = StableHash()
            combined.combine(text)
            var bytewise = StableHash()
            for byte in Array(text.utf8) { bytewise.add(byte) }
            bytewise.add(0xFF)
            #expect(combined.value == bytewise.value, "\(text)")
        }
    }
}
