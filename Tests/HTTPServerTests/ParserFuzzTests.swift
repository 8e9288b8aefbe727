import Essentials
import Testing
import HTTPServer

/// SplitMix64: tiny, seeded, reproducible.
typealias SeededGenerator = SeededRandom

@Suite struct ParserFuzzTests {
    /// Bytes that matter to the grammar, so mutations hit interesting paths more often than random bytes.
    static let interesting: [UInt8] = Array("\r\n :;,0123456789abcdefABCDEF-+xX\t\u{0}".utf8) + [0x7F, 0x80, 0xFF]

    static func mutate(_ input: [UInt8], using generator: inout SeededGenerator) -> [UInt8] {
        var bytes = input
        for _ in 0 ..< Int.random(in: 1 ... 4, using: &generator) {
            let choice = Int.random(in: 0 ..< 5, using: &generator)
            let position = bytes.isEmpty ? 0 : Int.random(in: 0 ..< bytes.count, using: &generator)
            switch choice {
            case 0 where !bytes.isEmpty:
                bytes[position] ^= UInt8(1) << UInt8.random(in: 0 ..< 8, using: &generator)
            case 1:
                let byte = Bool.random(using: &generator)
                    ? (interesting.randomElement(using: &generator) ?? 0) : UInt8.random(in: 0 ... 255, using: &generator)
                bytes.insert(byte, at: position)
            case 2 where !bytes.isEmpty:
                bytes.remove(at: position)
            case 3 where !bytes.isEmpty:
                let length = Int.random(in: 1 ... min(16, bytes.count - position), using: &generator)
                bytes.insert(contentsOf: bytes[position ..< position + length], at: position)
            default:
                if !bytes.isEmpty { bytes[position] = interesting.randomElement(using: &generator) ?? 0 }
            }
        }
        return bytes
    }

    @Test func mutatedRequestsNeverCrashAndSplitEqually() {
        let seeds = ValidRequestCorpus.entries.map(\.bytes) + MalformedRequestCorpus.entries.map(\.bytes)
        let limits = CorpusLimits.limits
        var generator = SeededGenerator(seed: 0xEC_B0_1D_6E)
        var accepted = 0, refused = 0
        for iteration in 0 ..< 2_000 {
            let seed = seeds[iteration % seeds.count]
            let input = Self.mutate(seed, using: &generator)
            let (whole, _) = ParserDriver.run(input, limits: limits)
            let (bytewise, _) = ParserDriver.run(input, limits: limits, pieceSize: 1)
            let cut = input.isEmpty ? 0 : Int.random(in: 0 ..< input.count, using: &generator)
            let (split, _) = ParserDriver.run(input, limits: limits, cuts: [cut])
            #expect(whole.largestBody <= limits.maxBodyBytes, "iteration \(iteration)")
            #expect(bytewise == whole, "iteration \(iteration): \(input)")
            #expect(split == whole, "iteration \(iteration) cut \(cut): \(input)")
            if whole.failureStatus == nil { accepted += 1 } else { refused += 1 }
        }
        // The mutations must exercise both outcomes, or the fuzzer is not testing much.
        #expect(accepted > 50)
        #expect(refused > 50)
    }
}
