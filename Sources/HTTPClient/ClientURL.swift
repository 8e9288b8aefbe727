/// An absolute `http`/`https` URL split the way the wire needs it: the host to connect to, the port, the
/// `Host` header and the origin-form request target with its percent-encoding untouched.
///
/// Why our own split: signatures (SNWS2) cover the exact path and query bytes, so the target must be sent
/// as written, and the host must be checked for characters that could break the request head.
public struct ClientURL: Sendable, Equatable {
    public enum Scheme: String, Sendable {
        case http, https

        public var defaultPort: Int { self == .http ? 80 : 443 }
    }

    public var scheme: Scheme
    /// The host without IPv6 brackets, e.g. `data.solarnetwork.net`, `127.0.0.1`, `::1`.
    public var host: String
    public var port: Int
    /// Path and query in origin form (`/path?query`), never empty; the fragment is dropped.
    public var target: String
    /// The raw `user:password` part, if any (only meaningful for proxy URLs).
    public var userInfo: String?

    public var isIPv6Literal: Bool { host.contains(":") }

    /// True for an IPv4 or IPv6 literal: certificate checks then compare IP addresses and no SNI is sent.
    public var isIPAddress: Bool {
        if isIPv6Literal { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { part in
            !part.isEmpty && part.count <= 3 && part.allSatisfy(\.isASCIIDigit) && (Int(part) ?? 256) <= 255
        }
    }

    /// `host[:port]` for the `Host` header: IPv6 in brackets, the port left out when it is the scheme's
    /// default (the same rule the SNWS2 signer uses for the `host` it signs).
    public var authority: String {
        port == scheme.defaultPort ? bracketedHost : "\(bracketedHost):\(port)"
    }

    /// `host:port` with the port always present (the `CONNECT` target and the pool key).
    public var hostAndPort: String { "\(bracketedHost):\(port)" }

    /// `scheme://authority/target`: the absolute form a plain-HTTP proxy expects.
    public var absoluteForm: String { "\(scheme.rawValue)://\(authority)\(target)" }

    var bracketedHost: String { isIPv6Literal ? "[\(host)]" : host }

    /// Parses `text`; throws `.invalidURL` with the reason (never echoing the URL, which may hold a token).
    public init(parsing text: String) throws(HTTPClientError) {
        let bytes = Array(text.utf8)
        guard let schemeEnd = Self.find(Array("://".utf8), in: bytes) else {
            throw .invalidURL("not an absolute URL")
        }
        guard let scheme = Scheme(rawValue: String(decoding: bytes[..<schemeEnd], as: UTF8.self).lowercased()) else {
            throw .invalidURL("only http and https URLs are supported")
        }
        let authorityStart = schemeEnd + 3
        var authorityEnd = authorityStart
        while authorityEnd < bytes.count, !"/?#".utf8.contains(bytes[authorityEnd]) { authorityEnd += 1 }
        var authority = Array(bytes[authorityStart ..< authorityEnd])
        var userInfo: String?
        if let at = authority.lastIndex(of: UInt8(ascii: "@")) {
            userInfo = String(decoding: authority[..<at], as: UTF8.self)
            authority = Array(authority[(at + 1)...])
        }
        let host: String
        var portText: ArraySlice<UInt8> = []
        if authority.first == UInt8(ascii: "[") {
            guard let close = authority.firstIndex(of: UInt8(ascii: "]")) else { throw .invalidURL("unclosed IPv6 literal") }
            let literal = authority[1 ..< close]
            guard !literal.isEmpty, literal.allSatisfy({ Self.isIPv6LiteralByte($0) }) else {
                throw .invalidURL("invalid IPv6 literal")
            }
            host = String(decoding: literal, as: UTF8.self)
            let rest = authority[(close + 1)...]
            if let first = rest.first {
                guard first == UInt8(ascii: ":") else { throw .invalidURL("unexpected text after the IPv6 literal") }
                portText = rest.dropFirst()
            }
        } else {
            var hostBytes = authority[...]
            if let colon = authority.lastIndex(of: UInt8(ascii: ":")) {
                hostBytes = authority[..<colon]
                portText = authority[(colon + 1)...]
            }
            guard !hostBytes.isEmpty else { throw .invalidURL("no host") }
            guard hostBytes.allSatisfy({ Self.isRegNameByte($0) }) else { throw .invalidURL("invalid character in the host") }
            host = String(decoding: hostBytes, as: UTF8.self)
        }
        var port = scheme.defaultPort
        if !portText.isEmpty {
            guard portText.count <= 5, portText.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
                  let value = Int(String(decoding: portText, as: UTF8.self)), (1 ... 65_535).contains(value)
            else { throw .invalidURL("invalid port") }
            port = value
        }
        var targetEnd = authorityEnd
        while targetEnd < bytes.count, bytes[targetEnd] != UInt8(ascii: "#") { targetEnd += 1 }
        var target = Array(bytes[authorityEnd ..< targetEnd])
        guard target.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw .invalidURL("the path or query holds a space, a control or a non-ASCII character (percent-encode it)")
        }
        if target.first != UInt8(ascii: "/") { target.insert(UInt8(ascii: "/"), at: 0) }
        self.scheme = scheme
        self.host = host
        self.port = port
        self.target = String(decoding: target, as: UTF8.self)
        self.userInfo = userInfo
    }

    private static func find(_ needle: [UInt8], in bytes: [UInt8]) -> Int? {
        guard bytes.count >= needle.count else { return nil }
        for start in 0 ... bytes.count - needle.count where bytes[start ..< start + needle.count].elementsEqual(needle) {
            return start
        }
        return nil
    }

    /// RFC 3986 reg-name / IPv4 characters: unreserved, sub-delims and `%`.
    private static func isRegNameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a") ... UInt8(ascii: "z"), UInt8(ascii: "A") ... UInt8(ascii: "Z"),
             UInt8(ascii: "0") ... UInt8(ascii: "9"):
            return true
        default:
            return "-._~%!$&'()*+,;=".utf8.contains(byte)
        }
    }

    private static func isIPv6LiteralByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a") ... UInt8(ascii: "f"), UInt8(ascii: "A") ... UInt8(ascii: "F"),
             UInt8(ascii: "0") ... UInt8(ascii: "9"), UInt8(ascii: ":"), UInt8(ascii: "."):
            return true
        default:
            return false
        }
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
