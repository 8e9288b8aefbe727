import FoundationEssentials

/// Where a secret comes from: inline, an environment variable, or a file (e.g. `/run/secrets/…`).
///
/// Its `description` never contains the secret itself, so it is safe in logs and errors.
public enum SecretReference: Sendable, Equatable, CustomStringConvertible {
    case inline(String)
    case environment(String)
    case file(String)

    public init(json: JSON, path: String) throws(ConfigError) {
        switch json {
        case let .string(s):
            guard !s.isEmpty else { throw ConfigError(path: path, message: "secret must not be empty") }
            self = .inline(s)
        case .object:
            var o = try ConfigObject(json, path: path)
            let env = try o.string("env")
            let file = try o.string("file")
            try o.finish()
            switch (env, file) {
            case let (name?, nil) where !name.isEmpty: self = .environment(name)
            case let (nil, p?) where !p.isEmpty: self = .file(p)
            default: throw ConfigError(path: path, message: "a secret object needs exactly one of \"env\" or \"file\"")
            }
        default:
            throw ConfigError(path: path, message: "expected a secret: a string, {\"env\": NAME} or {\"file\": PATH}")
        }
    }

    public var description: String {
        switch self {
        case .inline: return "inline secret"
        case let .environment(name): return "environment variable \(name)"
        case let .file(path): return "file \(path)"
        }
    }

    /// Resolves the secret. A file's trailing newline is dropped (files written with `echo` carry one).
    public func resolve(environment: [String: String] = ProcessInfo.processInfo.environment) throws(ConfigError) -> String {
        switch self {
        case let .inline(value):
            return value
        case let .environment(name):
            guard let value = environment[name], !value.isEmpty else {
                throw ConfigError(path: "", message: "secret: environment variable \(name) is not set")
            }
            return value
        case let .file(path):
            guard let data = FileManager.default.contents(atPath: path),
                  var value = String(data: data, encoding: .utf8) else {
                throw ConfigError(path: "", message: "secret: cannot read file \(path)")
            }
            while value.hasSuffix("\n") || value.hasSuffix("\r") { value.removeLast() }
            guard !value.isEmpty else { throw ConfigError(path: "", message: "secret: file \(path) is empty") }
            return value
        }
    }
}
