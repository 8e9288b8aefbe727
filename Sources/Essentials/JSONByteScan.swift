/// Word-at-a-time searches for the bytes that JSON string literals treat specially.
///
/// Why: webhook bodies and event texts are mostly long runs of plain ASCII (names, ids, padding), and
/// testing them eight bytes per step instead of one was the largest single saving in both parsing and
/// writing them. The masks use the classic "has a zero byte" bit trick; its only false positives lie above
/// a true hit, so the lowest set bit always marks the first special byte exactly.
enum JSONByteScan {
    static let ones: UInt64 = 0x0101_0101_0101_0101
    static let highs: UInt64 = 0x8080_8080_8080_8080

    /// Eight bytes at `base + offset`, the first in the low byte (whatever the machine's byte order).
    @inline(__always)
    static func word(_ base: UnsafePointer<UInt8>, _ offset: Int) -> UInt64 {
        UInt64(littleEndian: UnsafeRawPointer(base + offset).loadUnaligned(as: UInt64.self))
    }

    /// High bit set in the byte lanes that equal `byte` (exact for the lowest lane that is set).
    @inline(__always)
    static func equal(_ word: UInt64, _ byte: UInt8) -> UInt64 {
        let x = word ^ (ones &* UInt64(byte))
        return (x &- ones) & ~x & highs
    }

    /// High bit set in the byte lanes below 0x20, the control characters (exact for the lowest lane).
    @inline(__always)
    static func control(_ word: UInt64) -> UInt64 {
        (word &- ones &* 0x20) & ~word & highs
    }

    /// What ends a plain run in a string being parsed: `"`, `\`, a control character, and (while the
    /// string is still all ASCII, so the parser can skip UTF-8 validation) any byte of 0x80 or more.
    @inline(__always)
    static func parserStop(_ word: UInt64, watchHighBytes: Bool) -> UInt64 {
        let stop = equal(word, 0x22) | equal(word, 0x5C) | control(word)
        return watchHighBytes ? stop | (word & highs) : stop
    }

    /// What the writer may have to escape: `"`, `\`, a control character, or 0xE2, the first byte of
    /// U+2028 and U+2029 (written escaped; other characters starting with 0xE2 are plain).
    @inline(__always)
    static func writerStop(_ word: UInt64) -> UInt64 {
        equal(word, 0x22) | equal(word, 0x5C) | control(word) | equal(word, 0xE2)
    }

    /// The offset of the first byte in `from..<count` that `writerStop` flags (a byte-wise check for the
    /// tail shorter than a word), or `count` when there is none.
    @inline(__always)
    static func nextWriterStop(_ base: UnsafePointer<UInt8>, from: Int, count: Int) -> Int {
        var index = from
        while index &+ 8 <= count {
            let mask = writerStop(word(base, index))
            if mask != 0 { return index &+ mask.trailingZeroBitCount &>> 3 }
            index &+= 8
        }
        while index < count {
            let byte = base[index]
            if byte < 0x20 || byte == 0x22 || byte == 0x5C || byte == 0xE2 { return index }
            index &+= 1
        }
        return count
    }
}
