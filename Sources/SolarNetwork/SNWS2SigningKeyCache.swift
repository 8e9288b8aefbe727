import Synchronization

/// Holds the signing key of the most recent UTC day: the key depends only on the day, and deriving it
/// takes two HMACs per request otherwise. Shared by copies of a signer; safe across threads.
final class SNWS2SigningKeyCache: Sendable {
    private struct Entry {
        var day: Int
        var key: [UInt8]
    }

    private let entry = Mutex<Entry?>(nil)

    func key(day: Int, derive: () -> [UInt8]) -> [UInt8] {
        if let cached = entry.withLock({ $0 }), cached.day == day { return cached.key }
        let key = derive()
        entry.withLock { $0 = Entry(day: day, key: key) }
        return key
    }
}
