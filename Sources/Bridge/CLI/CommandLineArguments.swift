/// Hand-written argument parsing: `verb [sub] [--flag] [--option value | --option=value] [positional…]`.
///
/// Each verb declares which options take values and which are flags, so a typo is an error instead of
/// being taken as a file name. No third-party argument parser (design card: toolchain only).
public struct CommandLineArguments: Sendable {
    public var positionals: [String] = []
    /// Options in the order given; repeatable options keep every value.
    public var options: [(name: String, value: String)] = []
    public var flags: Set<String> = []

    public struct Error: Swift.Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    /// Parses `arguments`. `valued` lists options that take a value, `flags` those that do not
    /// (`--help`, `--json` and `--config` are always known).
    public init(_ arguments: [String], valued: Set<String>, flags allowedFlags: Set<String>) throws(Error) {
        let allValued = valued.union(["config"])
        let allFlags = allowedFlags.union(["help", "json"])
        var index = 0
        var onlyPositionals = false
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if onlyPositionals || !argument.hasPrefix("--") || argument == "-" {
                if argument == "-h" && !onlyPositionals { flags.insert("help"); continue }
                positionals.append(argument)
                continue
            }
            if argument == "--" { onlyPositionals = true; continue }
            var name = String(argument.dropFirst(2))
            var inlineValue: String?
            if let eq = name.firstIndex(of: "=") {
                inlineValue = String(name[name.index(after: eq)...])
                name = String(name[..<eq])
            }
            if allFlags.contains(name) {
                guard inlineValue == nil else { throw Error(description: "--\(name) takes no value") }
                flags.insert(name)
            } else if allValued.contains(name) {
                if let inlineValue {
                    options.append((name, inlineValue))
                } else {
                    guard index < arguments.count else { throw Error(description: "--\(name) needs a value") }
                    options.append((name, arguments[index]))
                    index += 1
                }
            } else {
                throw Error(description: "unknown option --\(name)")
            }
        }
    }

    public func value(_ name: String) -> String? { options.last(where: { $0.name == name })?.value }
    public func values(_ name: String) -> [String] { options.filter { $0.name == name }.map(\.value) }
    public func has(_ flag: String) -> Bool { flags.contains(flag) }

    public func required(_ name: String) throws(Error) -> String {
        guard let value = value(name), !value.isEmpty else { throw Error(description: "--\(name) is required") }
        return value
    }

    public func int(_ name: String) throws(Error) -> Int? {
        guard let text = value(name) else { return nil }
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let number = Int(text) else {
            throw Error(description: "--\(name) must be a whole number, got \(text)")
        }
        return number
    }
}
