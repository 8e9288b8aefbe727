import BridgeStore
import Essentials
import FoundationEssentials

/// `ecbridge outbox list|show ID|retry ID`: inspect deliveries and put a failed or dead one back.
///
/// Reading is safe while `serve` runs (SQLite WAL). `retry` writes a `requeued` marker to the attempt
/// history — the retry budget (`maxAttempts`, `maxAge`) starts again from it — and makes the delivery due now.
enum OutboxCommand {
    static let usage = """
    usage: ecbridge outbox list [--state S] [--limit N] [--offset N] [--json] [--config FILE]
           ecbridge outbox show ID [--config FILE]
           ecbridge outbox retry ID [--config FILE]

    Lists deliveries (newest first), shows one with its request, attempts (time, HTTP status, latency,
    error) and result, or puts a failed or dead delivery back to pending, due now.
    States: pending (waiting to be sent or retried), sent (queued at SolarNetwork, being tracked, or on the
    wire), done, failed (permanent failure, never retried), dead (gave up after the retry budget),
    superseded (replaced by a later plan before it was sent).
    """

    static func run(_ argv: [String], console: Console) throws -> Int32 {
        let arguments = try CommandLineArguments(argv, valued: ["state", "limit", "offset"], flags: [])
        let store = try InboxCommand.openStore(arguments)
        defer { store.close() }
        switch arguments.positionals.first {
        case "list":
            let rows = try store.deliveries(state: arguments.value("state"), limit: try arguments.int("limit") ?? 50,
                                            offset: try arguments.int("offset") ?? 0)
            if arguments.has("json") {
                console.print(JSON.array(rows.map { summary($0) }).prettyText)
            } else {
                var table = TextTable(["ID", "CREATED", "STATE", "CHANNEL", "TARGET", "ACTION", "ATTEMPTS", "EXTERNAL", "LAST ERROR"])
                for row in rows {
                    table.add([String(row.id), Timestamp.format(row.createdAt), row.state, row.channel, row.targetKey,
                               action(row) ?? "-", String(row.attempts), row.externalId ?? "-",
                               row.lastError.map { shortened($0, 60) } ?? "-"])
                }
                console.print(rows.isEmpty ? "outbox is empty" : table.render())
            }
            return 0
        case "show":
            let id = try deliveryId(arguments, verb: "show")
            guard let row = try store.delivery(id: id) else { throw CLIError("no delivery \(id)") }
            var members = summary(row).objectValue ?? []
            members.append(("request", (try? JSON.parse(row.requestJSON)) ?? .string(row.requestJSON)))
            members.append(("attempts", .array(try store.attempts(deliveryId: id).map(attemptJSON))))
            members.append(("result", row.resultJSON.map { (try? JSON.parse($0)) ?? .string($0) } ?? .null))
            console.print(JSON.object(members).prettyText)
            return 0
        case "retry":
            let id = try deliveryId(arguments, verb: "retry")
            guard let row = try store.delivery(id: id) else { throw CLIError("no delivery \(id)") }
            guard row.state == DeliveryState.failed || row.state == DeliveryState.dead else {
                throw CLIError("delivery \(id) is \(row.state); only failed or dead deliveries can be retried")
            }
            let now = Date()
            // The marker first (the delivery stays final meanwhile, so no worker can pick it up half-done).
            try store.recordAttempt(deliveryId: id,
                                    attempt: AttemptRecord(startedAt: now, outcome: DeliveryBudget.requeuedOutcome,
                                                           error: "requeued by an operator (was \(row.state))"),
                                    newState: row.state, nextAttemptAt: nil, externalId: nil, lastError: row.lastError,
                                    result: nil, now: now)
            guard try store.retry(deliveryId: id, now: now) else {
                throw CLIError("delivery \(id) changed state meanwhile; not retried")
            }
            console.print("delivery \(id) is pending again (was \(row.state)); a running 'ecbridge serve' sends it shortly")
            return 0
        default:
            throw CLIError.usage("expected 'list', 'show ID' or 'retry ID'")
        }
    }

    static func deliveryId(_ arguments: CommandLineArguments, verb: String) throws -> Int64 {
        guard arguments.positionals.count == 2, let id = Int64(arguments.positionals[1]), id > 0 else {
            throw CLIError.usage("expected '\(verb) ID' with a numeric ID")
        }
        return id
    }

    static func action(_ row: DeliveryRow) -> String? {
        (try? JSON.parse(row.requestJSON))?["action"]?.stringValue
    }

    static func shortened(_ text: String, _ limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }

    static func summary(_ row: DeliveryRow) -> JSON {
        func time(_ date: Date?) -> JSON? { date.map { .string(Timestamp.format($0, fractional: true)) } }
        return .members([
            ("id", .int(row.id)), ("inboxId", .int(row.inboxId)), ("eventId", row.eventId.map(JSON.string)),
            ("targetKey", .string(row.targetKey)), ("channel", .string(row.channel)),
            ("operation", row.operation.map(JSON.string)), ("action", action(row).map(JSON.string)),
            ("state", .string(row.state)), ("attemptCount", .int(row.attempts)), ("sequence", .int(row.sequence)),
            ("idempotencyKey", .string(row.idempotencyKey)), ("externalId", row.externalId.map(JSON.string)),
            ("lastError", row.lastError.map(JSON.string)), ("createdAt", time(row.createdAt)),
            ("updatedAt", time(row.updatedAt)), ("nextAttemptAt", time(row.nextAttemptAt)), ("finalAt", time(row.finalAt)),
        ])
    }

    static func attemptJSON(_ attempt: AttemptRow) -> JSON {
        .members([
            ("startedAt", .string(Timestamp.format(attempt.startedAt, fractional: true))),
            ("outcome", .string(attempt.outcome)), ("httpStatus", attempt.httpStatus.map { .int($0) }),
            ("latencyMs", attempt.latencyMs.map { .int($0) }), ("error", attempt.error.map(JSON.string)),
        ])
    }
}
