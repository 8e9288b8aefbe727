import Bridge
import BridgeStore
import Essentials
import Foundation

/// The end-to-end verdict of a resilience run, from two independent sources: ecbridge's store (inbox,
/// deliveries, attempts, reports) and what each stand-in actually received.
///
/// Why both: the store alone can say "done" for a message that reached the peer twice; the peers alone
/// cannot say whether something was planned and never sent.
struct DeliveryAudit {
    enum Expectation {
        /// Every delivery `done` (or `superseded`), every report posted.
        case delivered
        /// Every peer refuses the credentials: every delivery `failed` after exactly one attempt.
        case rejected
    }

    let store: BridgeStore
    let standIns: StandIns
    let factory: E2EEventFactory
    let outcomes: [PersistentSender.Outcome]
    let expectation: Expectation
    let maxAttempts: Int
    /// Total delivery attempts may not exceed deliveries × this (retry-storm bound); nil: not checked.
    let attemptFactor: Double?
    /// When `serve` was SIGKILLed (a report posted just before one may be posted again).
    let kills: [Date]
    /// Fail on any duplicate report, even one explained by a crash or a lost answer.
    let strictReports: Bool

    /// Expected non-superseded deliveries per inbox row, by event kind.
    static let deliveriesPerEvent = 2

    func run(_ checks: CheckList) throws {
        let inbox = try store.inbox(limit: 10_000_000)
        let deliveries = try store.deliveries(limit: 10_000_000)
        let reports = try store.reports(limit: 10_000_000)
        try intake(checks, inbox)
        try outbox(checks, inbox, deliveries)
        solarNetwork(checks, deliveries)
        oscp(checks, deliveries)
        greenFlux(checks, deliveries)
        self.reports(checks, inbox, reports)
    }

    // MARK: - Intake

    private func intake(_ checks: CheckList, _ inbox: [InboxRow]) throws {
        let acknowledged = outcomes.indices.filter { outcomes[$0].status == 200 }
        checks.check("every sent event was acknowledged 200 (\(acknowledged.count) of \(outcomes.count))",
                     acknowledged.count == outcomes.count,
                     "not acknowledged: " + sample(outcomes.indices.filter { outcomes[$0].status != 200 }.map(factory.notificationId)))
        var rowsByNotification: [String: Int] = [:]
        for row in inbox { rowsByNotification[row.notificationId ?? "-", default: 0] += 1 }
        let missing = acknowledged.map(factory.notificationId).filter { rowsByNotification[$0] == nil }
        checks.check("every acknowledged event is in the inbox", missing.isEmpty, "missing: " + sample(missing))
        let doubled = rowsByNotification.filter { $0.value > 1 }.map(\.key).sorted()
        checks.check("no notification is stored twice", doubled.isEmpty, "stored more than once: " + sample(doubled))
        let foreign = inbox.filter { row in row.eventId.flatMap(factory.index(ofEventId:)) == nil }.map(\.id)
        checks.check("every inbox row comes from this run", foreign.isEmpty, "foreign rows: " + sample(foreign))
        let unplanned = inbox.filter { $0.state != "planned" }.map { "\($0.id):\($0.state)" }
        checks.check("every inbox row is planned (\(inbox.count) rows)", unplanned.isEmpty, sample(unplanned))
        let retried = outcomes.filter { $0.attempts > 1 }.count
        checks.note("\(retried) events needed more than one send (connection refused or reset during a restart)")
    }

    // MARK: - Outbox

    private func outbox(_ checks: CheckList, _ inbox: [InboxRow], _ deliveries: [DeliveryRow]) throws {
        var byInbox: [Int64: [DeliveryRow]] = [:]
        for delivery in deliveries where delivery.state != DeliveryState.superseded { byInbox[delivery.inboxId, default: []].append(delivery) }
        let wrongCount = inbox.filter { (byInbox[$0.id]?.count ?? 0) != Self.deliveriesPerEvent }
            .map { "inbox \($0.id): \(byInbox[$0.id]?.count ?? 0)" }
        checks.check("each event was planned into \(Self.deliveriesPerEvent) deliveries", wrongCount.isEmpty, sample(wrongCount))

        var states: [String: Int] = [:]
        for delivery in deliveries { states[delivery.state, default: 0] += 1 }
        let stateText = states.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        switch expectation {
        case .delivered:
            let unfinished = deliveries.filter { $0.state != DeliveryState.done && $0.state != DeliveryState.superseded }
            checks.check("every delivery ended done or superseded (\(stateText))", unfinished.isEmpty,
                         sample(unfinished.map { "\($0.id) \($0.channel) \($0.state): \($0.lastError ?? "-")" }, limit: 3))
        case .rejected:
            let notFailed = deliveries.filter { $0.state != DeliveryState.failed }
            checks.check("every delivery ended failed (\(stateText))", notFailed.isEmpty,
                         sample(notFailed.map { "\($0.id) \($0.channel) \($0.state)" }))
            let slow = deliveries.compactMap { row -> String? in
                guard let end = row.finalAt else { return "\(row.id): not final" }
                let seconds = end.timeIntervalSince(row.createdAt)
                return seconds <= 10 ? nil : "\(row.id): \(String(format: "%.1f", seconds)) s"
            }
            checks.check("every refused delivery failed within 10 s of planning", slow.isEmpty, sample(slow))
        }

        var attemptCounts: [Int] = []
        for delivery in deliveries { attemptCounts.append(try store.attempts(deliveryId: delivery.id).count) }
        let total = attemptCounts.reduce(0, +)
        let most = attemptCounts.max() ?? 0
        checks.note("delivery attempts: \(total) for \(deliveries.count) deliveries (most for one: \(most))")
        switch expectation {
        case .delivered:
            checks.check("no delivery made more than delivery.maxAttempts (\(maxAttempts)) attempts", most <= maxAttempts,
                         "most attempts: \(most)")
            if let factor = attemptFactor {
                let bound = Int((Double(deliveries.count) * factor).rounded(.up))
                checks.check("total attempts \(total) ≤ \(deliveries.count) deliveries × \(factor) = \(bound) (no retry storm)",
                             total <= bound)
            }
        case .rejected:
            let other = zip(deliveries, attemptCounts).filter { $0.1 != 1 }.map { "\($0.0.id): \($0.1)" }
            checks.check("each refused delivery was attempted exactly once (no retries)", other.isEmpty, sample(other))
        }
    }

    // MARK: - SolarNetwork

    /// `topic` and parameters, the identity of one instruction as SolarNetwork stores it.
    static func instructionKey(topic: String, nodeId: Int64, parameters: [(String, String)]) -> String {
        "\(nodeId)\u{1}\(topic)\u{1}" + parameters.sorted { $0.0 < $1.0 }.map { "\($0.0)=\($0.1)" }.joined(separator: "\u{1}")
    }

    private func solarNetwork(_ checks: CheckList, _ deliveries: [DeliveryRow]) {
        let channel = deliveries.filter { $0.channel.hasPrefix("solarnetwork") }
        var seen: [String: [Int64]] = [:]
        let instructions = standIns.solarNetwork.instructions
        var created: [Int64: Date] = [:]
        for instruction in instructions { created[instruction.id] = instruction.created }
        for instruction in instructions {
            let key = Self.instructionKey(topic: instruction.topic, nodeId: instruction.nodeId,
                                          parameters: instruction.parameters.map { ($0.name, $0.value) })
            seen[key, default: []].append(instruction.id)
        }
        var problems: [String] = []
        var adopted = 0
        for delivery in channel {
            guard let request = try? JSON.parse(delivery.requestJSON), let path = request["path"]?.stringValue,
                  let slash = path.range(of: "/instr/add/"), let nodeId = request["body"]?["nodeId"]?.intValue,
                  let params = request["body"]?["params"]?.objectValue else {
                problems.append("\(delivery.id): unreadable request")
                continue
            }
            let topic = String(path[slash.upperBound...])
            let key = Self.instructionKey(topic: topic, nodeId: Int64(nodeId),
                                          parameters: params.compactMap { name, value in value.stringValue.map { (name, $0) } })
            let ids = seen[key] ?? []
            // An instruction adopted already final is only recorded in the result, not as the external id.
            let recorded = delivery.externalId
                ?? delivery.resultJSON.flatMap { try? JSON.parse($0) }?["id"]?.intValue.map { String($0) }
            switch expectation {
            case .delivered:
                if ids.count != 1 {
                    problems.append("delivery \(delivery.id) reached SolarNetwork \(ids.count) times")
                } else if recorded != String(ids[0]) {
                    problems.append("delivery \(delivery.id) records instruction \(recorded ?? "none"), SolarNetwork holds \(ids[0])")
                }
            case .rejected:
                if !ids.isEmpty { problems.append("delivery \(delivery.id) reached SolarNetwork") }
            }
            // Adopted: the instruction existed before the recorded attempt that found it started (an
            // attempt cut short by a kill leaves no row; one with a lost answer leaves a transient one).
            if let id = ids.first, let made = created[id], let history = try? store.attempts(deliveryId: delivery.id),
               let last = history.last(where: { $0.outcome == "ok" || $0.outcome == "adopted" }),
               made < last.startedAt {
                adopted += 1
            }
        }
        let exactly = expectation == .delivered ? "exactly one instruction" : "no instruction"
        checks.check("SolarNetwork holds \(exactly) per delivery (\(channel.count) deliveries, \(instructions.count) instructions)",
                     problems.isEmpty, sample(problems, limit: 3))
        if expectation == .delivered {
            checks.check("SolarNetwork holds no instruction that no delivery accounts for", instructions.count == channel.count,
                         "\(instructions.count) instructions for \(channel.count) deliveries")
        } else {
            let requests = standIns.solarNetwork.requests.count
            checks.check("SolarNetwork saw one request per refused delivery (\(requests) for \(channel.count))", requests == channel.count)
        }
        checks.note("SolarNetwork: \(adopted) deliveries adopted an instruction queued before a crash or a lost answer")
    }

    // MARK: - OSCP

    private func oscp(_ checks: CheckList, _ deliveries: [DeliveryRow]) {
        let channel = deliveries.filter { $0.channel == "oscp" }
        let messages = standIns.oscp.messages
        var byRequestId: [String: [OSCPSimulator.Message]] = [:]
        for message in messages { byRequestId[message.requestId, default: []].append(message) }
        var problems: [String] = []
        for delivery in channel {
            guard let request = try? JSON.parse(delivery.requestJSON),
                  let requestId = request["headers"]?["X-Request-ID"]?.stringValue else {
                problems.append("\(delivery.id): no X-Request-ID")
                continue
            }
            let received = byRequestId[requestId] ?? []
            switch expectation {
            case .delivered:
                if received.count != 1 {
                    problems.append("delivery \(delivery.id) applied \(received.count) times")
                } else if received[0].body != request["body"] {
                    problems.append("delivery \(delivery.id): the peer received another body")
                }
            case .rejected:
                if !received.isEmpty { problems.append("delivery \(delivery.id) reached the peer") }
            }
        }
        let duplicates = standIns.oscp.duplicateRequestIds.count
        let expected = expectation == .delivered ? "exactly one forecast (unique X-Request-ID)" : "no forecast"
        checks.check("OSCP peer applied \(expected) per delivery (\(channel.count) deliveries, \(messages.count) applied)",
                     problems.isEmpty, sample(problems, limit: 3))
        if expectation == .delivered {
            checks.check("OSCP peer applied nothing no delivery accounts for", messages.count == channel.count,
                         "\(messages.count) applied for \(channel.count) deliveries")
        }
        checks.note("OSCP: \(duplicates) repeated X-Request-IDs recognised by the peer (re-sent after a crash or a lost answer)")
    }

    // MARK: - GreenFlux

    private func greenFlux(_ checks: CheckList, _ deliveries: [DeliveryRow]) {
        let channel = deliveries.filter { $0.channel == "greenflux" && $0.state == DeliveryState.done }
        var expected: [String] = []
        for delivery in channel {
            guard let request = try? JSON.parse(delivery.requestJSON), let entries = request["body"]?.arrayValue else { continue }
            expected.append(contentsOf: entries.map(Self.scenarioKey))
        }
        let final = (standIns.greenFlux.scenarios(capacityGroupId: StandIns.greenFluxGroup).arrayValue ?? []).map(Self.scenarioKey)
        let missing = Self.multisetDifference(expected, final)
        let extra = Self.multisetDifference(final, expected)
        let puts = standIns.greenFlux.updates.count
        checks.note("GreenFlux: \(puts) PUTs for \(deliveries.filter { $0.channel == "greenflux" }.count) deliveries (idempotent: repeats allowed)")
        switch expectation {
        case .delivered:
            checks.check("GreenFlux's final scenario list is exactly the union of the delivered entries (\(final.count) entries)",
                         missing.isEmpty && extra.isEmpty, "missing \(sample(missing, limit: 2)); unexpected \(sample(extra, limit: 2))")
        case .rejected:
            checks.check("GreenFlux's scenario list was never written", puts == 0, "\(puts) PUTs")
        }
    }

    /// One scenario entry, normalised: capacity as a decimal, times as instants.
    static func scenarioKey(_ entry: JSON) -> String {
        let capacity = entry["capacity"]?.decimalValue.map(DecimalText.plain) ?? "?"
        let start = entry["start_date_time"]?.stringValue.flatMap { Timestamp.parse($0) }?.timeIntervalSince1970 ?? -1
        let end = entry["end_date_time"]?.stringValue.flatMap { Timestamp.parse($0) }?.timeIntervalSince1970 ?? -1
        return "\(capacity)@\(Int(start))-\(Int(end))"
    }

    static func multisetDifference(_ a: [String], _ b: [String]) -> [String] {
        var counts: [String: Int] = [:]
        for item in b { counts[item, default: 0] += 1 }
        var rest: [String] = []
        for item in a {
            if let count = counts[item], count > 0 { counts[item] = count - 1 } else { rest.append(item) }
        }
        return rest
    }

    // MARK: - Reports

    private func reports(_ checks: CheckList, _ inbox: [InboxRow], _ rows: [ReportRow]) {
        let received = standIns.energyCoordination.reports
        // The stand-in appends a report and logs its request on its single event loop, in the same order.
        let accepted = standIns.energyCoordination.requests.filter {
            $0.method == "POST" && $0.status == 200 && $0.target.hasSuffix("/reports")
        }
        var copies: [String: [(time: Date?, dropped: Bool)]] = [:]
        for (index, report) in received.enumerated() {
            let record = index < accepted.count ? accepted[index] : nil
            copies[report["eventId"]?.stringValue ?? "-", default: []].append((record?.receivedAt, record?.fault == "dropped"))
        }
        var byInbox: [Int64: [ReportRow]] = [:]
        for row in rows { if let id = row.inboxId { byInbox[id, default: []].append(row) } }

        switch expectation {
        case .delivered:
            let notPosted = inbox.filter { row in byInbox[row.id]?.contains { $0.state == "done" } != true }
                .map { "inbox \($0.id): \(byInbox[$0.id]?.map(\.state).joined(separator: ",") ?? "no report row")" }
            checks.check("every inbox row has its report posted (\(rows.filter { $0.state == "done" }.count) of \(inbox.count))",
                         notPosted.isEmpty, sample(notPosted))
            let missing = inbox.compactMap(\.eventId).filter { copies[$0] == nil }
            checks.check("the Energy Coordination stand-in received a report for every event", missing.isEmpty, sample(missing))
            var explained = 0
            var unexplained: [String] = []
            for (eventId, list) in copies where list.count > 1 {
                for copy in list.dropLast() {
                    if copy.dropped || isJustBeforeAKill(copy.time) {
                        explained += 1
                    } else {
                        unexplained.append(eventId)
                    }
                }
            }
            if strictReports {
                checks.check("exactly one report per event at the Energy Coordination stand-in", explained + unexplained.count == 0,
                             "\(explained + unexplained.count) extra copies: " + sample(Array(Set(unexplained))))
            } else {
                checks.check("no event was reported twice except across a crash or a lost answer", unexplained.isEmpty,
                             "unexplained extra copies for " + sample(unexplained))
                checks.note("reports: \(received.count) received for \(inbox.count) events; \(explained) extra copies posted "
                            + "again because ecbridge died (or the answer was lost) between the post and recording it")
            }
            let strays = Set(copies.keys).subtracting(inbox.compactMap(\.eventId))
            checks.check("no report for an event that is not in the inbox", strays.isEmpty, sample(Array(strays)))
        case .rejected:
            let badState = rows.filter { !["failed", "not-needed"].contains($0.state) || $0.attempts > 1 }
                .map { "report \($0.id): \($0.state) after \($0.attempts) attempts" }
            checks.check("every report refused once (failed, no retries) or not needed", badState.isEmpty, sample(badState))
            checks.check("the Energy Coordination stand-in accepted no report", received.isEmpty, "\(received.count) accepted")
        }
    }

    /// Whether a report received at `time` was in flight when a kill came (2 s covers post + record).
    private func isJustBeforeAKill(_ time: Date?) -> Bool {
        guard let time else { return false }
        return kills.contains { kill in time <= kill.addingTimeInterval(0.05) && time >= kill.addingTimeInterval(-2) }
    }
}
