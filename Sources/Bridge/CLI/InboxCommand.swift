import BridgeStore
import Essentials
import FoundationEssentials
import WebhookAuth

/// `ecbridge inbox list|show ID` and `ecbridge quarantine list|show ID`: read the store (safe while
/// `serve` runs; SQLite WAL lets readers work beside the writer).
enum InboxCommand {
    static let inboxUsage = """
    usage: ecbridge inbox list [--state S] [--limit N] [--offset N] [--json] [--config FILE]
           ecbridge inbox show ID [--config FILE]

    Lists notifications in the inbox (newest first) or shows one with its normalised event, headers and raw body.
    States: received (waiting to be planned), planned, ignored (payload type not mapped), failed.
    """

    static let quarantineUsage = """
    usage: ecbridge quarantine list [--limit N] [--offset N] [--json] [--config FILE]
           ecbridge quarantine show ID [--config FILE]

    Bodies that were refused but kept for inspection: signed but undecodable (answered 400), and a
    rate-limited sample of bodies that failed authentication (answered 401).
    """

    static func runInbox(_ argv: [String], console: Console) throws -> Int32 {
        let arguments = try CommandLineArguments(argv, valued: ["state", "limit", "offset"], flags: [])
        let configuration = try ECBridgeCLI.configuration(arguments)
        let store = try openStore(configuration)
        defer { store.close() }
        switch arguments.positionals.first {
        case "list":
            let rows = try store.inbox(limit: try arguments.int("limit") ?? 50, offset: try arguments.int("offset") ?? 0,
                                       state: arguments.value("state"))
            if arguments.has("json") {
                console.print(JSON.array(rows.map { summary($0) }).prettyText)
            } else {
                var table = TextTable(["ID", "RECEIVED", "STATE", "DIALECT", "OPERATION", "PAYLOAD", "EVENT"])
                for row in rows {
                    table.add([String(row.id), Timestamp.format(row.receivedAt), row.state, row.dialect ?? "-",
                               row.operation ?? "-", row.payloadType ?? "-", row.eventId ?? "-"])
                }
                console.print(rows.isEmpty ? "inbox is empty" : table.render())
            }
            return 0
        case "show":
            let id = try rowId(arguments)
            guard let row = try store.inboxRow(id: id) else { throw CLIError("no inbox row \(id)") }
            var members = summary(row).objectValue ?? []
            members.append(("notificationId", row.notificationId.map(JSON.string) ?? .null))
            members.append(("webhookPath", row.webhookPath.map(JSON.string) ?? .null))
            members.append(("headers", (try? JSON.parse(row.headersJSON ?? "{}")) ?? .null))
            // Derived from the raw body with the configuration's units, as the planner does.
            let event = try? StoredEvent.of(row, options: configuration.units.decodeOptions)
            members.append(("event", event?.json ?? .null))
            members.append(contentsOf: rawBody(row.rawBody))
            console.print(JSON.object(members).prettyText)
            return 0
        default:
            throw CLIError.usage("expected 'list' or 'show ID'")
        }
    }

    static func runQuarantine(_ argv: [String], console: Console) throws -> Int32 {
        let arguments = try CommandLineArguments(argv, valued: ["limit", "offset"], flags: [])
        let store = try openStore(arguments)
        defer { store.close() }
        switch arguments.positionals.first {
        case "list":
            let rows = try store.quarantineList(limit: try arguments.int("limit") ?? 50, offset: try arguments.int("offset") ?? 0)
            if arguments.has("json") {
                console.print(JSON.array(rows.map { quarantineSummary($0) }).prettyText)
            } else {
                var table = TextTable(["ID", "RECEIVED", "PATH", "BYTES", "REASON"])
                for row in rows {
                    table.add([String(row.id), Timestamp.format(row.receivedAt), row.webhookPath ?? "-",
                               String(row.rawBody.count), row.reason])
                }
                console.print(rows.isEmpty ? "quarantine is empty" : table.render())
            }
            return 0
        case "show":
            let id = try rowId(arguments)
            guard let row = try store.quarantineRow(id: id) else { throw CLIError("no quarantine row \(id)") }
            var members = quarantineSummary(row).objectValue ?? []
            members.append(("headers", (try? JSON.parse(row.headersJSON ?? "{}")) ?? .null))
            members.append(contentsOf: rawBody(row.rawBody))
            console.print(JSON.object(members).prettyText)
            return 0
        default:
            throw CLIError.usage("expected 'list' or 'show ID'")
        }
    }

    static func openStore(_ arguments: CommandLineArguments) throws -> BridgeStore {
        try openStore(try ECBridgeCLI.configuration(arguments))
    }

    static func openStore(_ configuration: BridgeConfiguration) throws -> BridgeStore {
        guard FileManager.default.fileExists(atPath: configuration.store.path) else {
            throw CLIError("no store at \(configuration.store.path) (run 'ecbridge serve' first, or pass --config)")
        }
        return try BridgeStore.open(configuration.store.storeOptions)
    }

    static func rowId(_ arguments: CommandLineArguments) throws -> Int64 {
        guard arguments.positionals.count == 2, let id = Int64(arguments.positionals[1]), id > 0 else {
            throw CLIError.usage("expected 'show ID' with a numeric ID")
        }
        return id
    }

    static func summary(_ row: InboxRow) -> JSON {
        .members([
            ("id", .int(row.id)), ("receivedAt", .string(Timestamp.format(row.receivedAt, fractional: true))),
            ("state", .string(row.state)), ("dialect", row.dialect.map(JSON.string)),
            ("operation", row.operation.map(JSON.string)), ("payloadType", row.payloadType.map(JSON.string)),
            ("eventId", row.eventId.map(JSON.string)), ("dedupeKey", .string(row.dedupeKey)),
        ])
    }

    static func quarantineSummary(_ row: QuarantineRow) -> JSON {
        .members([
            ("id", .int(row.id)), ("receivedAt", .string(Timestamp.format(row.receivedAt, fractional: true))),
            ("webhookPath", row.webhookPath.map(JSON.string)), ("reason", .string(row.reason)),
            ("bytes", .int(row.rawBody.count)),
        ])
    }

    /// The body as text when it is UTF-8, else Base64, plus its SHA-256 for matching against sender logs.
    static func rawBody(_ bytes: [UInt8]) -> [(String, JSON)] {
        var members: [(String, JSON)] = [("bodySHA256", .string(Hex.encode(SHA256.hash(bytes))))]
        if let text = String(validating: bytes, as: UTF8.self) {
            members.append(("body", .string(text)))
        } else {
            members.append(("bodyBase64", .string(Base64.encode(bytes))))
        }
        return members
    }
}
