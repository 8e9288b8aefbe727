import FoundationEssentials
import SmartCharging

/// `doctor`'s direct-target section: each `oscp` and `greenflux` target's base URL is an absolute
/// http(s) URL. Nothing is sent to these peers.
///
/// Why no call: the direct peers offer no read that is guaranteed side-effect free and cheap for every
/// implementation; a wrong host still shows up on the first delivery attempt in `outbox show`. A plain
/// `http` URL to a host other than loopback is a warning, because the target's token would travel in clear.
enum DirectTargetChecks {
    static let group = "targets"

    static func run(_ registry: TargetRegistry) -> [DoctorCheck] {
        var checks: [DoctorCheck] = []
        for (index, target) in registry.targets.enumerated() {
            let baseUrl: String
            switch target.settings {
            case let .oscp(settings): baseUrl = settings.baseUrl
            case let .greenFlux(settings): baseUrl = settings.baseUrl
            case .solarNetworkOCPP, .solarNetworkOSCP: continue
            }
            checks.append(check(path: "targets[\(index)]", channel: target.channel.rawValue, baseUrl: baseUrl))
        }
        return checks
    }

    static func check(path: String, channel: String, baseUrl: String) -> DoctorCheck {
        guard let url = URL(string: baseUrl), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
              let host = url.host, !host.isEmpty else {
            return DoctorCheck(group: group, name: path, status: .fail, reason: "\(channel) baseUrl \(baseUrl) is not an absolute http(s) URL")
        }
        if scheme == "http", !["localhost", "127.0.0.1", "::1", "[::1]"].contains(host.lowercased()) {
            return DoctorCheck(group: group, name: path, status: .warning,
                               reason: "\(channel) baseUrl \(baseUrl) uses plain http: the target's token travels unencrypted")
        }
        return DoctorCheck(group: group, name: path, status: .pass, reason: "\(channel) baseUrl \(baseUrl) parses (not contacted)")
    }
}
