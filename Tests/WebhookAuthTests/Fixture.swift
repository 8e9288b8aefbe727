import Foundation
import Testing
import Essentials

/// Loads files from the `Fixtures` resource folder (copies of the reference vectors; see Fixtures/SOURCES.md).
enum Fixture {
    struct Missing: Error, CustomStringConvertible {
        let path: String
        var description: String { "fixture not found: \(path)" }
    }

    static func bytes(_ path: String) throws -> [UInt8] {
        guard let base = Bundle.module.url(forResource: "Fixtures", withExtension: nil),
              let data = FileManager.default.contents(atPath: base.appendingPathComponent(path).path) else {
            throw Missing(path: path)
        }
        return [UInt8](data)
    }

    static func text(_ path: String) throws -> String {
        String(decoding: try bytes(path), as: UTF8.self)
    }

    static func json(_ path: String) throws -> JSON {
        try JSON.parse(try bytes(path))
    }
}

/// A case-insensitive header lookup over name/value pairs, as the HTTP layer supplies it.
func headerLookup(_ pairs: [(name: String, value: String)]) -> (String) -> String? {
    { name in pairs.first(where: { $0.name.lowercased() == name.lowercased() })?.value }
}

func headerLookup(_ pairs: [String: String]) -> (String) -> String? {
    headerLookup(pairs.map { (name: $0.key, value: $0.value) })
}

func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }
