import Essentials

/// Parses bench-built bodies (always valid JSON; a failure is a bench bug, reported as such).
enum JSONBody {
    static func parse(_ bytes: [UInt8]) throws -> Essentials.JSON {
        do {
            return try Essentials.JSON.parse(bytes)
        } catch {
            throw BenchError("bench built invalid JSON: \(error)")
        }
    }
}
