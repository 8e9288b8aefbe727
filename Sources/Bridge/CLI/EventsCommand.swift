import BridgeStore
import EnergyCoordination
import Essentials
import FoundationEssentials
import WebhookAuth

/// `ecbridge events list|show|sync`: events held by the Energy Coordination API, and reconciliation of
/// the inbox against them (what a lost webhook would have delivered).
enum EventsCommand {
    static let usage = """
    usage: ecbridge events list [--json] [--config FILE]
           ecbridge events show ID
           ecbridge events sync [--json]

    list/show read GET /events (every page with apiVersion 2024). sync puts every event the inbox has not
    seen through the webhook intake path (decode, dedupe, store; marked {"source":"sync"}) and reports what
    was new; a running 'serve' plans them within its poll interval. 'serve' does the same periodically when
    energyCoordination.syncInterval is above 0.
    """

    static func run(_ argv: [String], console: Console) throws -> Int32 {
        let arguments = try CommandLineArguments(argv, valued: [], flags: [])
        let subcommand = arguments.positionals.first ?? ""
        guard ["list", "show", "sync"].contains(subcommand) else { throw CLIError.usage("expected list, show ID or sync") }
        let (configuration, client) = try PartnerCommandSupport.client(arguments)
        let options = configuration.units.decodeOptions
        switch subcommand {
        case "list":
            try PartnerCommandSupport.noExtraPositionals(arguments)
            let items = try client.allEvents()
            if arguments.has("json") {
                console.print(JSON.array(items).prettyText)
            } else if items.isEmpty {
                console.print("no events")
            } else {
                var table = TextTable(["ID", "CREATED", "PAYLOAD", "START", "END", "TARGETS", "NAME"])
                for item in items { table.add(row(item, options: options)) }
                console.print(table.render())
            }
            return 0
        case "show":
            console.print(try client.event(id: PartnerCommandSupport.id(arguments, "show")).prettyText)
            return 0
        default:
            try PartnerCommandSupport.noExtraPositionals(arguments)
            let store = try BridgeStore.open(configuration.store.storeOptions)
            defer { store.close() }
            let outcome = try EventReconciler(client: client, store: store, decodeOptions: options).sync()
            if arguments.has("json") {
                console.print(outcome.json.prettyText)
            } else {
                console.print("fetched \(outcome.fetched) events: \(outcome.admitted.count) new, "
                              + "\(outcome.known.count) already in the inbox, \(outcome.failed.count) failed")
                for id in outcome.admitted { console.print("  new    \(id)") }
                for (id, reason) in outcome.failed { console.print("  failed \(id): \(reason)") }
            }
            return outcome.failed.isEmpty ? 0 : 1
        }
    }

    static func row(_ item: JSON, options: DecodeOptions) -> [String] {
        let id = EventPage.eventId(of: item) ?? "-"
        guard let event = try? NotificationDecoder.decode(json: item, bodySHA256Hex: "", options: options).event else {
            return [id, "-", item["payload"]?["payloadType"]?.stringValue ?? "?", "-", "-", "-", "(not decodable)"]
        }
        let summary = event.json
        return [id, event.createdAt.map { Timestamp.format($0) } ?? "-", event.payloadType,
                summary["start"]?.stringValue ?? "-", summary["end"]?.stringValue ?? "-", String(event.targets.count),
                event.name ?? "-"]
    }
}
