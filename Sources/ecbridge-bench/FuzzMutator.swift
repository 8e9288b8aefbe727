import Bridge
import Essentials

/// Seeded mutations of corpus inputs: byte-level (flip, insert, delete, duplicate, splice with another
/// seed, grammar bytes) for any input, and structure-aware ones for JSON (replace a node with an edge
/// value, drop or duplicate a member, add a known field, cross over values between seeds).
///
/// Why both: byte noise mostly breaks JSON at the parser, so on its own it never reaches the decoders'
/// field rules; tree edits keep the document valid and probe the semantics (numbers at the edges,
/// durations, timestamps, wrong types, missing and repeated fields).
struct FuzzMutator {
    var random: SeededRandom
    let seeds: [[UInt8]]
    /// Bytes that matter to the grammar being fuzzed.
    let interestingBytes: [UInt8]
    /// Object keys and leaf values seen in the JSON seeds (for cross-over).
    private var keys: [String] = []
    private var leaves: [JSON] = []
    let maxLength: Int

    static let edgeNumbers = ["0", "-0", "1", "-1", "0.1", "1e308", "1e309", "-1e309", "1e-400", "2147483648",
                              "9223372036854775807", "9223372036854775808", "-9223372036854775809",
                              "1.00000000000000000000000000001", "123456789012345678901234567890", "6.02e23", "1E+2"]
    static let edgeStrings = ["", " ", "P9999Y", "PT0S", "PT", "P", "-PT1H", "PT0.5S", "P1W", "P1Y", "P1M", "99999999.23:59:59",
                              "-01:00:00", "24:00:00", "00:60:00", "1.00:00:00", "1:2:3", "0001-01-01T00:00:00Z",
                              "0001-01-01T00:00:00", "9999-12-31T23:59:59.9999999Z", "2026-02-30T00:00:00Z",
                              "2026-03-03T16:00:00.12345678901234Z", "2026-03-03T16:00:00+14:00", "2026-03-03 16:00:00Z",
                              "\u{0}", "\u{FEFF}", "\u{1F50C}", String(repeating: "a", count: 300), "CurrentLevel", "PowerLevel",
                              "ResourceLPC", "LocationLPC", "LPCReservation", "Create", "Update", "Delete", "vehicle-1", "loc-9"]

    init(seed: UInt64, seeds: [[UInt8]], interestingBytes: [UInt8], maxLength: Int = 65_536, json: Bool) {
        random = SeededRandom(seed: seed)
        self.seeds = seeds.isEmpty ? [[]] : seeds
        self.interestingBytes = interestingBytes.isEmpty ? [0] : interestingBytes
        self.maxLength = maxLength
        if json {
            var keySet: Set<String> = []
            for seed in seeds {
                guard let value = try? JSON.parse(seed) else { continue }
                Self.collect(value, keys: &keySet, leaves: &leaves)
            }
            keys = keySet.sorted()
        }
    }

    private static func collect(_ value: JSON, keys: inout Set<String>, leaves: inout [JSON]) {
        switch value {
        case let .object(members):
            for (key, member) in members {
                keys.insert(key)
                collect(member, keys: &keys, leaves: &leaves)
            }
        case let .array(items):
            for item in items { collect(item, keys: &keys, leaves: &leaves) }
        default:
            leaves.append(value)
        }
    }

    mutating func pick<T>(_ items: [T]) -> T? {
        items.isEmpty ? nil : items[Int(random.next() % UInt64(items.count))]
    }

    mutating func below(_ bound: Int) -> Int { bound <= 0 ? 0 : Int(random.next() % UInt64(bound)) }

    /// One new input from a random seed.
    mutating func next(structured: Bool) -> [UInt8] {
        let seed = seeds[below(seeds.count)]
        if structured, below(10) < 7, let value = try? JSON.parse(seed) {
            var mutated = value
            for _ in 0 ... below(3) { mutated = mutateTree(mutated) }
            let bytes = Array(mutated.compactText.utf8)
            return below(8) == 0 ? mutateBytes(bytes) : bytes
        }
        return mutateBytes(seed)
    }

    /// 1–4 byte-level edits.
    mutating func mutateBytes(_ input: [UInt8]) -> [UInt8] {
        var bytes = input
        for _ in 0 ... below(4) {
            let position = below(bytes.count + 1)
            switch below(7) {
            case 0 where !bytes.isEmpty:
                bytes[min(position, bytes.count - 1)] ^= UInt8(1) << UInt8(below(8))
            case 1:
                let byte = below(2) == 0 ? (pick(interestingBytes) ?? 0) : UInt8(truncatingIfNeeded: random.next())
                bytes.insert(byte, at: position)
            case 2 where !bytes.isEmpty:
                bytes.remove(at: min(position, bytes.count - 1))
            case 3 where !bytes.isEmpty:
                let start = min(position, bytes.count - 1)
                let length = 1 + below(min(32, bytes.count - start))
                bytes.insert(contentsOf: bytes[start ..< start + length], at: start)
            case 4:
                let other = seeds[below(seeds.count)]
                guard !other.isEmpty else { break }
                let start = below(other.count)
                let length = 1 + below(min(64, other.count - start))
                bytes.insert(contentsOf: other[start ..< start + length], at: position)
            case 5 where !bytes.isEmpty:
                let start = min(position, bytes.count - 1)
                bytes.removeSubrange(start ..< min(bytes.count, start + 1 + below(16)))
            default:
                if !bytes.isEmpty { bytes[min(position, bytes.count - 1)] = pick(interestingBytes) ?? 0 }
            }
        }
        if bytes.count > maxLength { bytes.removeLast(bytes.count - maxLength) }
        return bytes
    }

    /// Replaces or edits one node of the tree, chosen uniformly.
    mutating func mutateTree(_ value: JSON) -> JSON {
        let total = Self.count(value)
        var target = below(total)
        return edit(value, target: &target)
    }

    private static func count(_ value: JSON) -> Int {
        switch value {
        case let .object(members): return 1 + members.reduce(0) { $0 + count($1.1) }
        case let .array(items): return 1 + items.reduce(0) { $0 + count($1) }
        default: return 1
        }
    }

    private mutating func edit(_ value: JSON, target: inout Int) -> JSON {
        if target == 0 {
            target = -1
            return mutateNode(value)
        }
        target -= 1
        switch value {
        case let .object(members):
            var out: [(String, JSON)] = []
            for (key, member) in members { out.append((key, target >= 0 ? edit(member, target: &target) : member)) }
            return .object(out)
        case let .array(items):
            return .array(items.map { target >= 0 ? edit($0, target: &target) : $0 })
        default:
            return value
        }
    }

    private mutating func mutateNode(_ value: JSON) -> JSON {
        switch value {
        case var .object(members):
            switch below(5) {
            case 0 where !members.isEmpty:
                members.remove(at: below(members.count))
            case 1 where !members.isEmpty:
                members.append(members[below(members.count)])
            case 2:
                members.append((pick(keys) ?? "x", randomLeaf()))
            case 3 where !members.isEmpty:
                let index = below(members.count)
                members[index].1 = randomLeaf()
            default:
                return randomLeaf()
            }
            return .object(members)
        case var .array(items):
            switch below(4) {
            case 0 where !items.isEmpty: items.remove(at: below(items.count))
            case 1 where !items.isEmpty: items.append(items[below(items.count)])
            case 2: items = []
            default: return randomLeaf()
            }
            return .array(items)
        default:
            return randomLeaf()
        }
    }

    private mutating func randomLeaf() -> JSON {
        switch below(8) {
        case 0, 1: return .number(pick(Self.edgeNumbers) ?? "0")
        case 2, 3: return .string(pick(Self.edgeStrings) ?? "")
        case 4: return pick(leaves) ?? .null
        case 5: return [JSON.null, .bool(true), .bool(false)][below(3)]
        case 6: return .array([])
        default: return .object([])
        }
    }
}
