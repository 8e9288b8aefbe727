import Essentials
import FoundationEssentials
import SmartCharging
import SolarNetwork

/// `doctor`'s SolarNetwork section: the token authenticates, and every `solarnetwork-ocpp` and
/// `solarnetwork-oscp` target points at live entities that SolarNetwork will accept instructions for
/// (the pre-flight list of solarnetwork.md §6).
///
/// Why check entities and not just the token: an instruction for a disabled, unregistered or foreign
/// charger, or for a group linked to another optimizer, is queued happily and then declined on the node —
/// the cap is silently lost. Only GETs are sent.
enum SolarNetworkChecks {
    static let group = "solarnetwork"
    static let whoamiPath = "/solaruser/api/v1/sec/whoami"

    static func run(_ configuration: BridgeConfiguration, registry: TargetRegistry, options: DoctorOptions,
                    failedSecrets: Set<String>) -> [DoctorCheck] {
        let targets = registry.targets.enumerated().filter {
            $0.element.channel == .solarNetworkOCPP || $0.element.channel == .solarNetworkOSCP
        }.map { (path: "targets[\($0.offset)]", config: $0.element) }
        let notChecked = targets.isEmpty ? "" : "; \(targets.count) target\(targets.count == 1 ? "" : "s") not checked"
        guard let settings = configuration.solarNetwork else {
            if targets.isEmpty {
                return [skip("solarNetwork", "not configured (no SolarNetwork targets)")]
            }
            return [DoctorCheck(group: group, name: "solarNetwork", status: .fail,
                                reason: "\(targets.map(\.path).joined(separator: ", ")) use SolarNetwork channels but there is no 'solarNetwork' section (baseUrl, token, secret)")]
        }
        if options.offline {
            return [skip("solarNetwork", "--offline: authentication at \(settings.baseUrl) not checked" + notChecked)]
        }
        if failedSecrets.contains("solarNetwork.secret") {
            return [skip("solarNetwork", "solarNetwork.secret does not resolve" + notChecked)]
        }
        let client: SolarNetworkClient
        do {
            client = try SolarNetworkClientFactory.client(configuration, environment: options.environment, timeout: options.callTimeout)
        } catch {
            return [DoctorCheck(group: group, name: error.path.isEmpty ? "solarNetwork" : error.path, status: .fail,
                                reason: error.message + notChecked)]
        }

        let whoami = client.call(method: "GET", path: whoamiPath)
        if let failure = whoami.failure {
            return [DoctorCheck(group: group, name: "solarNetwork", status: .fail,
                                reason: "no authenticated answer from \(settings.baseUrl): \(failure.message)" + notChecked)]
        }
        let user = whoami.value?.data.flatMap { data in data["username"]?.stringValue ?? SolarNetworkEntityValue.integer(data["userId"]).map { "user \($0)" } }
        var checks = [DoctorCheck(group: group, name: "solarNetwork", status: .pass,
                                  reason: "token \(settings.token ?? "-") authenticates at \(settings.baseUrl)" + (user.map { " as \($0)" } ?? ""))]
        var oscpEntities: OSCPEntities?
        for (path, target) in targets {
            switch target.settings {
            case let .solarNetworkOCPP(ocpp):
                checks.append(checkCharger(path: path, target: ocpp, client: client))
            case let .solarNetworkOSCP(oscp):
                let entities = oscpEntities ?? OSCPEntities(client: client)
                oscpEntities = entities
                checks.append(checkGroup(path: path, target: oscp, entities: entities))
            case .oscp, .greenFlux:
                continue
            }
        }
        return checks
    }

    private static func skip(_ name: String, _ reason: String) -> DoctorCheck {
        DoctorCheck(group: group, name: name, status: .skipped, reason: reason)
    }

    // MARK: - OCPP chargers

    static func checkCharger(path: String, target: OCPPTargetSettings, client: SolarNetworkClient) -> DoctorCheck {
        guard let id = Int64(target.chargePointId) else {
            return DoctorCheck(group: group, name: path, status: .fail,
                               reason: "chargePointId \"\(target.chargePointId)\" is not a SolarNetwork charger id (a number)")
        }
        let reply = client.charger(id: id)
        if let failure = reply.failure {
            let reason = reply.status == 404 || failure.code == "DAO.00102"
                ? "charger \(id) does not exist for this token's user"
                : "charger \(id) could not be read: \(failure.message)"
            return DoctorCheck(group: group, name: path, status: .fail, reason: reason)
        }
        let charger = reply.value ?? .null
        var problems: [String] = []
        var notes: [String] = []
        if charger["enabled"]?.boolValue != true { problems.append("is disabled") }
        let registration = charger["registrationStatus"]?.stringValue
        if registration != "Accepted" {
            problems.append("registrationStatus is \(registration ?? "missing") (must be Accepted)")
        }
        let node = SolarNetworkEntityValue.integer(charger["nodeId"])
        if node != Int64(target.nodeId) {
            problems.append("belongs to node \(node.map(String.init) ?? "-"), not the target's nodeId \(target.nodeId)")
        }
        if let connectors = SolarNetworkEntityValue.integer(charger["connectorCount"]), connectors > 0,
           Int64(target.connectorId) > connectors {
            notes.append("connectorId \(target.connectorId) but the charger reports \(connectors) connector\(connectors == 1 ? "" : "s")")
        }
        let identity = charger["info"]?["id"]?.stringValue.map { " (\($0))" } ?? ""
        let subject = "charger \(id)\(identity)"
        if !problems.isEmpty {
            return DoctorCheck(group: group, name: path, status: .fail, reason: "\(subject) " + (problems + notes).joined(separator: "; "))
        }
        if !notes.isEmpty {
            return DoctorCheck(group: group, name: path, status: .warning, reason: "\(subject): " + notes.joined(separator: "; "))
        }
        return DoctorCheck(group: group, name: path, status: .pass,
                           reason: "\(subject) on node \(target.nodeId): enabled, Accepted")
    }

    // MARK: - OSCP groups and optimizers

    /// The capacity groups and optimizers, read once for all OSCP targets.
    struct OSCPEntities {
        var groups: SolarNetworkClientReply<[JSON]>
        var optimizers: SolarNetworkClientReply<[JSON]>

        init(client: SolarNetworkClient) {
            groups = client.capacityGroups()
            optimizers = client.capacityOptimizers()
        }
    }

    static func checkGroup(path: String, target: SolarNetworkOSCPSettings, entities: OSCPEntities) -> DoctorCheck {
        let identifier = target.forecast.groupIdentifier
        guard let groups = entities.groups.value else {
            return DoctorCheck(group: group, name: path, status: .fail,
                               reason: "capacity groups could not be read: \(entities.groups.failure?.message ?? "no answer")")
        }
        guard let capacityGroup = groups.first(where: { $0["identifier"]?.stringValue == identifier }) else {
            let known = groups.compactMap { $0["identifier"]?.stringValue }
            let list = known.isEmpty ? "none exist" : "known: " + known.prefix(5).joined(separator: ", ") + (known.count > 5 ? ", …" : "")
            return DoctorCheck(group: group, name: path, status: .fail,
                               reason: "no capacity group with identifier '\(identifier)' (groupIdentifier; \(list))")
        }
        var problems: [String] = []
        if capacityGroup["enabled"]?.boolValue != true { problems.append("capacity group '\(identifier)' is disabled") }
        let linked = SolarNetworkEntityValue.display(capacityGroup["capacityOptimizerId"])
        if linked != target.capacityOptimizerId {
            problems.append("capacity group '\(identifier)' is linked to optimizer \(linked), not the target's capacityOptimizerId \(target.capacityOptimizerId)")
        }
        if let optimizers = entities.optimizers.value {
            if let optimizer = optimizers.first(where: { SolarNetworkEntityValue.display($0["configId"]) == target.capacityOptimizerId }) {
                if optimizer["enabled"]?.boolValue != true {
                    problems.append("capacity optimizer \(target.capacityOptimizerId) is disabled")
                }
            } else {
                problems.append("capacity optimizer \(target.capacityOptimizerId) does not exist")
            }
        } else {
            problems.append("capacity optimizers could not be read: \(entities.optimizers.failure?.message ?? "no answer")")
        }
        if !problems.isEmpty {
            return DoctorCheck(group: group, name: path, status: .fail, reason: problems.joined(separator: "; "))
        }
        return DoctorCheck(group: group, name: path, status: .pass,
                           reason: "capacity group '\(identifier)' enabled, linked to enabled optimizer \(target.capacityOptimizerId)")
    }
}
