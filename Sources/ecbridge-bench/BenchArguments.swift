import Foundation

/// `--name value` and `--flag` parsing for the bench subcommands: small on purpose, so the tool has no
/// dependency beyond the package itself.
struct BenchArguments {
    private var values: [String: String] = [:]
    private var flags: Set<String> = []
    private(set) var positionals: [String] = []

    /// `valued` lists the options that take a value; any other `--name` is a flag.
    init(_ argv: [String], valued: Set<String>) throws {
        var index = 0
        while index < argv.count {
            let item = argv[index]
            if item.hasPrefix("--") {
                var name = String(item.dropFirst(2))
                var inline: String?
                if let equals = name.firstIndex(of: "=") {
                    inline = String(name[name.index(after: equals)...])
                    name = String(name[..<equals])
                }
                if valued.contains(name) {
                    if let inline {
                        values[name] = inline
                    } else {
                        guard index + 1 < argv.count else { throw BenchError("--\(name) needs a value") }
                        index += 1
                        values[name] = argv[index]
                    }
                } else {
                    guard inline == nil else { throw BenchError("--\(name) takes no value") }
                    flags.insert(name)
                }
            } else {
                positionals.append(item)
            }
            index += 1
        }
    }

    func has(_ flag: String) -> Bool { flags.contains(flag) }

    func string(_ name: String) -> String? { values[name] }

    func string(_ name: String, default fallback: String) -> String { values[name] ?? fallback }

    func required(_ name: String) throws -> String {
        guard let value = values[name] else { throw BenchError("--\(name) is required") }
        return value
    }

    func int(_ name: String, default fallback: Int) throws -> Int {
        guard let text = values[name] else { return fallback }
        guard let value = Int(text) else { throw BenchError("--\(name) must be an integer, got \(text)") }
        return value
    }

    func double(_ name: String, default fallback: Double) throws -> Double {
        guard let text = values[name] else { return fallback }
        guard let value = Double(text), value.isFinite else { throw BenchError("--\(name) must be a number, got \(text)") }
        return value
    }
}

/// A usage or run-time failure of the bench tool: printed as one line, exit status 1 (2 for usage).
struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
