import Essentials
import FoundationEssentials
import SolarNetwork

/// `ecbridge solarnetwork chargers|capacity-groups|capacity-optimizers`: read-only listings of the
/// SolarNetwork entities that targets name, to fill in `chargePointId`, `groupIdentifier` and
/// `capacityOptimizerId` and to see why `doctor` complains.
enum SolarNetworkCommand {
    static let usage = """
    usage: ecbridge solarnetwork chargers [--json] [--config FILE] [--timeout SECONDS]
           ecbridge solarnetwork capacity-groups [--json]
           ecbridge solarnetwork capacity-optimizers [--json]

    Lists the OCPP chargers and OSCP capacity groups/optimizers of the configured SolarNetwork token's
    user (GET only). Tables for people; --json prints the entities array as SolarNetwork returned it.
    Needs the 'solarNetwork' configuration section (baseUrl, token, secret). --timeout defaults to 10 s.
    """

    static func run(_ argv: [String], console: Console) throws -> Int32 {
        let arguments = try CommandLineArguments(argv, valued: ["timeout"], flags: [])
        let listing = arguments.positionals.first ?? ""
        guard ["chargers", "capacity-groups", "capacity-optimizers"].contains(listing) else {
            throw CLIError.usage("expected chargers, capacity-groups or capacity-optimizers")
        }
        guard arguments.positionals.count == 1 else { throw CLIError.usage("unexpected argument \(arguments.positionals[1])") }
        let timeout = try DoctorCommand.timeoutSetting(arguments)
        let configuration = try ECBridgeCLI.configuration(arguments)
        let client = try SolarNetworkClientFactory.client(configuration, timeout: timeout)
        let reply: SolarNetworkClientReply<[JSON]>
        switch listing {
        case "chargers": reply = client.chargers()
        case "capacity-groups": reply = client.capacityGroups()
        default: reply = client.capacityOptimizers()
        }
        guard let items = reply.value else {
            throw CLIError("\(listing): \(reply.failure?.message ?? "no answer from SolarNetwork")")
        }
        if arguments.has("json") {
            console.print(JSON.array(items).prettyText)
        } else if items.isEmpty {
            console.print("no \(listing.replacingLiteral("-", with: " "))")
        } else {
            console.print(table(listing, items).render())
        }
        return 0
    }

    static func table(_ listing: String, _ items: [JSON]) -> TextTable {
        let value = SolarNetworkEntityValue.display
        var table: TextTable
        switch listing {
        case "chargers":
            table = TextTable(["ID", "IDENTITY", "NODE", "ENABLED", "REGISTRATION", "CONNECTORS"])
            for item in items {
                table.add([value(item["id"]), value(item["info"]?["id"]), value(item["nodeId"]), value(item["enabled"]),
                           value(item["registrationStatus"]), value(item["connectorCount"])])
            }
        case "capacity-groups":
            table = TextTable(["ID", "IDENTIFIER", "NAME", "ENABLED", "OPTIMIZER", "PROVIDER"])
            for item in items {
                table.add([value(item["configId"]), value(item["identifier"]), value(item["name"]), value(item["enabled"]),
                           value(item["capacityOptimizerId"]), value(item["capacityProviderId"])])
            }
        default:
            table = TextTable(["ID", "NAME", "ENABLED", "REGISTRATION"])
            for item in items {
                table.add([value(item["configId"]), value(item["name"]), value(item["enabled"]), value(item["registrationStatus"])])
            }
        }
        return table
    }
}
