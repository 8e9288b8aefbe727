import Foundation
import Testing

/// samples/events/*.json are the `SampleBodies` literals plus one "\n" (compact one-line JSON).
/// Skipped silently when the test runs outside a repository checkout (no samples folder next to Tests/).
struct SampleFilesTests {
    static var samplesFolder: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("samples/events")
    }

    @Test func filesMatchTheLiterals() throws {
        let folder = Self.samplesFolder
        guard FileManager.default.fileExists(atPath: folder.path) else { return }
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }
        #expect(Set(names) == Set(SampleBodies.all.map(\.file)))
        for (file, body) in SampleBodies.all {
            let data = try Data(contentsOf: folder.appendingPathComponent(file))
            #expect(Array(data) == Array((body + "\n").utf8), "\(file)")
        }
    }
}
