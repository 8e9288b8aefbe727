/// Why the server could not start (binding, resolving, or creating its kernel objects).
public enum HTTPServerError: Error, Sendable, Equatable, CustomStringConvertible {
    case cannotResolve(host: String, port: Int)
    case system(call: String, errno: Int32)
    case alreadyStarted
    case tlsNotEnabled

    public var description: String {
        switch self {
        case .cannotResolve(let host, let port): "cannot resolve listen address \(host):\(port)"
        case .system(let call, let errno): "\(call) failed (errno \(errno))"
        case .alreadyStarted: "the server was already started"
        case .tlsNotEnabled: "the listener was started without TLS, so there is no certificate to reload"
        }
    }
}
