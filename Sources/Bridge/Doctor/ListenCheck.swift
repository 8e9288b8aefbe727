import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// `doctor`'s listen section: the configured address can be bound (a socket is bound, put in listening
/// state and closed at once), and the TLS files, when configured, are readable.
///
/// Why "in use" is only a warning: the usual reason is that `ecbridge serve` is already running there,
/// which is exactly what a health check on a live host sees. `SO_REUSEPORT` is deliberately not set, so
/// a running `serve` (which sets it) makes the bind fail instead of silently sharing its port.
enum ListenCheck {
    static let group = "listen"

    /// What binding the address showed.
    enum BindOutcome: Equatable {
        case bound
        case inUse
        case failed(String)
    }

    static func run(_ settings: ListenSettings) -> [DoctorCheck] {
        let name = "listen"
        let address = settings.host.contains(":") ? "[\(settings.host)]:\(settings.port)" : "\(settings.host):\(settings.port)"
        var checks: [DoctorCheck]
        switch bind(host: settings.host, port: settings.port) {
        case .bound:
            let note = settings.port == 0 ? " (port 0: the system picks a free port at each start)" : ""
            checks = [DoctorCheck(group: group, name: name, status: .pass, reason: "\(address) can be bound\(note)")]
        case .inUse:
            checks = [DoctorCheck(group: group, name: name, status: .warning,
                                  reason: "\(address) is already in use — perhaps a running 'ecbridge serve'; a new serve could not start there")]
        case let .failed(reason):
            checks = [DoctorCheck(group: group, name: name, status: .fail, reason: "\(address) cannot be bound: \(reason)")]
        }
        if let tls = settings.tls {
            for (key, path) in [("listen.tls.certificate", tls.certificate), ("listen.tls.privateKey", tls.privateKey)] {
                if FileManager.default.isReadableFile(atPath: path) {
                    checks.append(DoctorCheck(group: group, name: key, status: .pass, reason: "\(path) is readable"))
                } else {
                    checks.append(DoctorCheck(group: group, name: key, status: .fail, reason: "cannot read \(path)"))
                }
            }
        }
        return checks
    }

    /// Binds and listens on `host:port`, then closes the socket.
    static func bind(host: String, port: Int) -> BindOutcome {
        var hints = addrinfo()
        hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &result)
        guard status == 0, let info = result else {
            return .failed("cannot resolve host \(host)" + (status != 0 ? " (\(String(cString: gai_strerror(status))))" : ""))
        }
        defer { freeaddrinfo(result) }
        let fd = socket(info.pointee.ai_family, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return .failed("socket: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var one: Int32 = 1
        _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        if Glibc.bind(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) != 0 || listen(fd, 1) != 0 {
            let error = errno
            if error == EADDRINUSE { return .inUse }
            return .failed(String(cString: strerror(error)))
        }
        return .bound
    }
}
