import Foundation
import Testing
@testable import Bridge

/// Golden files: every sample event with the exact plan it must produce under `samples/config.json`.
///
/// All samples are mapped in one `ecbridge map` run, in file-name order, at a fixed "now", so a Delete
/// finds the targets of its Create. `samples/expected/<sample>.json` holds each expected document.
/// After an intended change, regenerate with `ECBRIDGE_UPDATE_GOLDEN=1 swift test --filter GoldenMapTests`
/// and review the diff.
@Suite struct GoldenMapTests {
    static let now = "2026-03-03T12:00:00Z"
    static let root = TestFiles.repositoryRoot

    static func sampleNames() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: root + "/samples/events")
            .filter { $0.hasSuffix(".json") }.sorted()
    }

    /// Splits concatenated pretty documents (each closes with a `}` alone on a line).
    static func documents(_ text: String) -> [String] {
        var documents: [String] = []
        var current = ""
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            current += line + "\n"
            if line == "}" {
                documents.append(current)
                current = ""
            }
        }
        return documents
    }

    @Test func everySampleMapsToItsGoldenFile() throws {
        let names = try Self.sampleNames()
        #expect(names.count >= 8)
        let capture = ConsoleCapture()
        let status = ECBridgeCLI.run(["map", "--config", Self.root + "/samples/config.json", "--now", Self.now, "--pretty"]
                                     + names.map { Self.root + "/samples/events/" + $0 }, console: capture.console())
        #expect(status == 0, "\(capture.errors)")
        let documents = Self.documents(capture.output)
        try #require(documents.count == names.count)
        let update = ProcessInfo.processInfo.environment["ECBRIDGE_UPDATE_GOLDEN"] == "1"
        for (name, document) in zip(names, documents) {
            let path = Self.root + "/samples/expected/" + name
            if update {
                try FileManager.default.createDirectory(atPath: Self.root + "/samples/expected", withIntermediateDirectories: true)
                try Data(document.utf8).write(to: URL(fileURLWithPath: path))
                continue
            }
            let expected = FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
            #expect(expected == document, "samples/expected/\(name) differs from what `ecbridge map` produces now")
        }
    }
}
