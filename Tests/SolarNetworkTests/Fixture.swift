import Foundation
import Essentials

/// Loads files from the `Fixtures` resource folder (see Fixtures/SOURCES.md).
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

    static func json(_ path: String) throws -> JSON {
        try JSON.parse(try bytes(path))
    }
}

func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }
