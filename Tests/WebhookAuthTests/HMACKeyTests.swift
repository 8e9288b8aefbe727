import Testing
@testable import WebhookAuth

/// `HMACSHA256.Key` (key schedule once, context copied per message) must be indistinguishable from the
/// one-shot `HMACSHA256.mac`.
@Suite struct HMACKeyTests {
    @Test func matchesRFC4231Vectors() {
        let case2 = HMACSHA256.Key(Array("Jefe".utf8)).mac(Array("what do ya want for nothing?".utf8))
        #expect(Hex.encode(case2) == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        // Case 6: a 131-byte key, longer than the block, is hashed first.
        let case6 = HMACSHA256.Key([UInt8](repeating: 0xAA, count: 131))
            .mac(Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8))
        #expect(Hex.encode(case6) == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
    }

    @Test func acceptsEmptyKeyAndMessage() {
        #expect(Hex.encode(HMACSHA256.Key([UInt8]()).mac([]))
            == "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad")
    }

    @Test func agreesWithOneShotOnRandomInput() {
        var rng = SignVerifyPropertyTests.SeededGenerator(seed: 0x5EED_4A11)
        func randomBytes(_ count: Int) -> [UInt8] { (0 ..< count).map { _ in UInt8(truncatingIfNeeded: rng.next()) } }
        for _ in 0 ..< 300 {
            let key = randomBytes(Int(rng.next() % 150))
            let prepared = HMACSHA256.Key(key)
            for _ in 0 ..< 3 {
                let message = randomBytes(Int(rng.next() % 2100))
                #expect(prepared.mac(message) == HMACSHA256.mac(key: key, message: message))
            }
        }
    }

    @Test func oneKeyServesConcurrentCallers() async {
        let key = HMACSHA256.Key(Array("shared".utf8))
        let message = Array(String(repeating: "x", count: 1000).utf8)
        let expected = HMACSHA256.mac(key: Array("shared".utf8), message: message)
        let results = await withTaskGroup(of: Bool.self) { group in
            for _ in 0 ..< 8 {
                group.addTask { (0 ..< 200).allSatisfy { _ in key.mac(message) == expected } }
            }
            return await group.reduce(true) { $0 && $1 }
        }
        #expect(results)
    }

    @Test func neverPrintsKeyMaterial() {
        #expect(String(describing: HMACSHA256.Key(Array("top-secret".utf8))) == "HMACSHA256.Key(redacted)")
    }
}
