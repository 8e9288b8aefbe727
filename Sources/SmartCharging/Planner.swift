import EnergyCoordination
import Essentials
import FoundationEssentials

/// Maps one normalised event to downstream deliveries (design.md §1.5, §2, §4.3).
///
/// Why pure: the same event, registry, options and `now` always give the same plan, so a replay after a
/// crash plans byte-identical messages with the same idempotency keys, and tests need no clock.
/// Secrets in the registry are never resolved here; authentication is added by the sender.
public struct Planner: Sendable {
    public let registry: TargetRegistry
    public let options: PlannerOptions

    public static let solarNetworkInstructionPath = "/solaruser/api/v1/sec/instr/add/"

    public init(registry: TargetRegistry, options: PlannerOptions = PlannerOptions()) {
        self.registry = registry
        self.options = options
    }

    /// Plans `event`. `now` resolves `ScheduleStart.now` (pass the inbox's received time so replays match)
    /// and is the start of Delete restores that carry no schedule.
    public func plan(_ event: CoordinationEvent, now: Date) -> Plan {
        let operation = event.operation ?? .create
        var plan = Plan(eventId: event.id, operation: operation)
        guard event.isMappable else {
            let reason = "payload type \(event.payloadType) is not mapped"
            plan.skipped = event.targets.isEmpty ? [SkippedTarget(nil, reason: reason)]
                : event.targets.map { SkippedTarget($0, reason: reason) }
            return plan
        }
        if event.targets.isEmpty { plan.skipped = [SkippedTarget(nil, reason: "the event has no targets")] }
        var plannedKeys = Set<String>()
        // A ResourceLPC caps one resource: applying it to the resource's whole location (a site or a
        // capacity group) would throttle every other charger there, so it matches resource targets only.
        let resourcesOnly = event.payloadType == "ResourceLPC"
        for target in event.targets {
            guard let (config, matchedBy, _) = registry.matchWithKey(target, resourcesOnly: resourcesOnly) else {
                let reason = resourcesOnly && target.resourceId != nil
                    ? "no target configured for this resource (ResourceLPC caps match resource targets only)"
                    : "no target configured"
                plan.skipped.append(SkippedTarget(target, reason: reason))
                continue
            }
            // The key is built from the config's identifiers on every read: read it once per target.
            let key = config.key
            guard plannedKeys.insert(key).inserted else {
                plan.skipped.append(SkippedTarget(target, reason: "target \(key) is already planned for this event"))
                continue
            }
            let context = Context(event: event, operation: operation, target: target, config: config, key: key,
                                  matchedBy: matchedBy, now: now)
            do {
                plan.deliveries.append(try delivery(context))
            } catch {
                plan.skipped.append(SkippedTarget(target, reason: error.reason))
            }
        }
        return plan
    }

    // MARK: - Identity rules (public so the outbox, reporter and tests use the same numbers)

    /// The OCPP charging profile id for (event, target): `profileIdBase + FNV-1a(event id, target key) mod
    /// profileIdRange`, always in 1…Int32.max. The same for Create, Update and Delete of one event, so an
    /// Update replaces the installed profile and a Delete clears exactly it.
    public func chargingProfileId(eventId: String, targetKey: String) -> Int {
        let base = min(max(1, options.profileIdBase), Int(Int32.max))
        let range = min(max(1, options.profileIdRange), Int(Int32.max) - base + 1)
        return base + Int(StableHash.of("profile", eventId, targetKey) % UInt64(range))
    }

    /// The stack level: the target's base + a priority rank. Lower `priority` numbers mean more important
    /// events and get HIGHER stack levels: rank = clamp(9 − priority, 0, 9); no priority → rank 0.
    /// Capped at the target's `maxStackLevel` when configured.
    public static func stackLevel(base: Int, priority: Int?, maxStackLevel: Int?) -> Int {
        let rank = priority.map { min(9, max(0, 9 - max($0, -1))) } ?? 0
        let level = base + rank
        return maxStackLevel.map { min($0, level) } ?? level
    }

    /// The deterministic start offset in `[0, randomizeStart)` for (event, target).
    public static func randomStartOffset(eventId: String, targetKey: String, randomizeStart: Int) -> Int {
        guard randomizeStart > 1 else { return 0 }
        let window = UInt64(min(randomizeStart, Int(Int32.max)))
        return Int(StableHash.of("randomizeStart", eventId, targetKey) % window)
    }

    // MARK: - Planning one target

    struct Context {
        var event: CoordinationEvent
        var operation: EventOperation
        var target: EventTarget
        var config: TargetConfig
        /// `config.key`.
        var key: String
        var matchedBy: TargetRegistry.MatchedBy
        var now: Date
    }

    /// Content to deliver, before identity is attached.
    struct Content {
        var action: String
        var method: String
        var address: DeliveryAddress
        var body: JSON
        var profileId: Int?
        var windowStart: Date?
        var windowEnd: Date?
        var applied: AppliedCap?
        var requestIdHeader = false
    }

    func delivery(_ c: Context) throws(PlanningIssue) -> PlannedDelivery {
        let content: Content
        switch c.config.settings {
        case let .solarNetworkOCPP(s): content = try ocppContent(c, s)
        case let .solarNetworkOSCP(s): content = try solarNetworkOSCPContent(c, s)
        case let .oscp(s): content = try directOSCPContent(c, s)
        case let .greenFlux(s): content = try greenFluxContent(c, s)
        }
        let bodyHash = StableHash.hex(StableHash.of(content.body.compactText))
        let key = "\(c.event.id)|\(c.operation.rawValue)|\(c.key)|\(bodyHash)"
        let headers = content.requestIdHeader ? [HTTPHeaderField("X-Request-ID", StableHash.uuid(from: key))] : []
        let order = c.event.modifiedAt ?? c.event.sentAt ?? c.event.createdAt ?? c.now
        let millis = order.timeIntervalSince1970 * 1000
        let sequence = millis.isFinite && abs(millis) < 9e15 ? Int64(millis.rounded(.down)) : 0
        return PlannedDelivery(
            targetKey: c.key, resourceId: c.target.resourceId, locationId: c.target.locationId,
            meterPointId: c.target.meterPointId, matchedBy: c.matchedBy, channel: c.config.channel,
            operation: c.operation, action: content.action, method: content.method, address: content.address,
            body: content.body, headers: headers, idempotencyKey: key, sequenceHint: sequence,
            chargingProfileId: content.profileId, windowStart: content.windowStart, windowEnd: content.windowEnd,
            applied: content.applied)
    }

    /// The event target's schedule resolved for this target, or the skip reason.
    func resolvedSchedule(_ c: Context) throws(PlanningIssue) -> ResolvedSchedule {
        guard let schedule = c.target.schedule else { throw PlanningIssue("no cap schedule for \(c.operation.rawValue)") }
        let offset = Planner.randomStartOffset(eventId: c.event.id, targetKey: c.key,
                                               randomizeStart: schedule.randomizeStart)
        let resolved = try ResolvedSchedule.resolve(schedule, now: c.now, randomOffset: offset,
                                                    horizon: max(1, options.openEndedHorizonSeconds))
        guard resolved.periods.count <= options.maxPeriods else {
            throw PlanningIssue("\(resolved.periods.count) periods exceed the limit of \(options.maxPeriods)")
        }
        return resolved
    }

    /// The window a Delete restore covers: the event's window when it carries one, else `[now, now + horizon)`.
    func restoreWindow(_ c: Context) -> (start: Date, end: Date) {
        if c.target.schedule != nil, let resolved = try? resolvedSchedule(c) {
            return (resolved.start, resolved.periodEnd(resolved.periods.count - 1, horizon: horizonSeconds))
        }
        let start = Date(timeIntervalSince1970: c.now.timeIntervalSince1970.rounded(.down))
        return (start, start.addingTimeInterval(Double(horizonSeconds)))
    }

    var horizonSeconds: Int { max(1, options.openEndedHorizonSeconds) }

    // MARK: OCPP through SolarNetwork

    func ocppContent(_ c: Context, _ s: OCPPTargetSettings) throws(PlanningIssue) -> Content {
        let profileId = chargingProfileId(eventId: c.event.id, targetKey: c.key)
        let path = Planner.solarNetworkInstructionPath + s.ocppVersion.instructionTopic
        func instruction(_ action: String, _ message: JSON) -> JSON {
            .object([
                ("nodeId", .int(s.nodeId)),
                ("params", .object([
                    ("action", .string(action)),
                    ("chargePointId", .string(s.chargePointId)),
                    ("msg", .string(message.compactText)),
                ])),
            ])
        }
        if c.operation == .delete {
            let message = s.ocppVersion == .v16 ? OCPP16ClearChargingProfile(id: profileId).json
                : OCPP201ClearChargingProfileRequest(chargingProfileId: profileId).json
            return Content(action: OCPP16ClearChargingProfile.action, method: "POST", address: .solarNetworkPath(path),
                           body: instruction(OCPP16ClearChargingProfile.action, message), profileId: profileId)
        }
        let resolved = try resolvedSchedule(c)
        let limits = resolved.periods.map { CapLimits.ocpp($0.cap, s) }
        let phases = s.electrical.phases == 3 ? nil : s.electrical.phases
        let schedule = OCPPChargingSchedule(
            startSchedule: resolved.start, duration: resolved.duration, rateUnit: s.rateUnit,
            periods: zip(resolved.periods, limits).map {
                OCPPChargingSchedule.Period(startPeriod: $0.offset, limit: $1.limit, numberPhases: phases)
            })
        let stackLevel = Planner.stackLevel(base: s.stackLevel, priority: c.event.priority, maxStackLevel: s.maxStackLevel)
        let message: JSON
        switch s.ocppVersion {
        case .v16:
            message = OCPP16SetChargingProfile(connectorId: s.connectorId, chargingProfileId: profileId,
                                               stackLevel: stackLevel, purpose: s.purpose, schedule: schedule).json
        case .v201:
            message = OCPP201SetChargingProfileRequest(evseId: s.connectorId, chargingProfileId: profileId,
                                                       stackLevel: stackLevel, purpose: s.purpose,
                                                       scheduleId: profileId, schedule: schedule).json
        }
        return Content(action: OCPP16SetChargingProfile.action, method: "POST", address: .solarNetworkPath(path),
                       body: instruction(OCPP16SetChargingProfile.action, message), profileId: profileId,
                       windowStart: resolved.start, windowEnd: resolved.end, applied: limits.first?.applied)
    }

    // MARK: OSCP

    /// The forecast blocks for a Create/Update, or the single restore block for a Delete.
    func forecastBlocks(_ c: Context, _ f: OSCPForecastSettings) throws(PlanningIssue)
        -> (blocks: [ForecastedBlock], start: Date, end: Date?, applied: AppliedCap?) {
        if c.operation == .delete {
            guard let capacity = f.defaultCapacity else {
                throw PlanningIssue("Delete needs defaultCapacity to restore, and none is configured")
            }
            let window = restoreWindow(c)
            let block = ForecastedBlock(capacity: capacity, phase: f.phase, unit: f.unit,
                                        startTime: window.start, endTime: window.end)
            return ([block], window.start, window.end, nil)
        }
        let resolved = try resolvedSchedule(c)
        let blocks = resolved.periods.indices.map { i in
            ForecastedBlock(capacity: CapLimits.oscpCapacity(resolved.periods[i].cap, unit: f.unit, f.electrical),
                            phase: f.phase, unit: f.unit, startTime: resolved.periodStart(i),
                            endTime: resolved.periodEnd(i, horizon: horizonSeconds))
        }
        let applied = blocks.first.map { CapLimits.applied(capacity: $0.capacity, unit: f.unit, f.electrical) }
        let end = resolved.periodEnd(resolved.periods.count - 1, horizon: horizonSeconds)
        return (blocks, resolved.start, end, applied)
    }

    func solarNetworkOSCPContent(_ c: Context, _ s: SolarNetworkOSCPSettings) throws(PlanningIssue) -> Content {
        let f = s.forecast
        let (blocks, start, end, applied) = try forecastBlocks(c, f)
        let forecast = GroupCapacityForecast(kind: .adjust, groupId: f.groupIdentifier, type: f.forecastType, blocks: blocks)
        let body = JSON.object([
            ("nodeId", .int(s.nodeId)),
            ("params", .object([
                ("action", .string(forecast.kind.messageName)),
                ("coId", .string(s.capacityOptimizerId)),
                ("cgIdentifier", .string(f.groupIdentifier)),
                ("msg", .string(forecast.json.compactText)),
            ])),
        ])
        return Content(action: forecast.kind.messageName, method: "POST",
                       address: .solarNetworkPath(Planner.solarNetworkInstructionPath + "OSCP_v20"), body: body,
                       windowStart: start, windowEnd: end, applied: applied)
    }

    func directOSCPContent(_ c: Context, _ s: DirectOSCPSettings) throws(PlanningIssue) -> Content {
        let f = s.forecast
        let (blocks, start, end, applied) = try forecastBlocks(c, f)
        let forecast = GroupCapacityForecast(kind: .update, groupId: f.groupIdentifier, type: f.forecastType, blocks: blocks)
        return Content(action: forecast.kind.messageName, method: "POST", address: .url(s.baseUrl + forecast.kind.path),
                       body: forecast.json, windowStart: start, windowEnd: end, applied: applied, requestIdHeader: true)
    }

    // MARK: GreenFlux

    public static let greenFluxAction = "PutCapacityScenarios"

    func greenFluxContent(_ c: Context, _ s: GreenFluxTargetSettings) throws(PlanningIssue) -> Content {
        let group = PercentEncoding.encodePathSegment(s.capacityGroupId)
        let url = "\(s.baseUrl)/api/\(s.apiVersion)/smartcharging/capacitygroups/\(group)/capacityscenarios/datetime"
        let entries: [GreenFluxCapacityScenario]
        let start: Date, end: Date
        var applied: AppliedCap?
        if c.operation == .delete {
            guard let capacity = s.defaultCapacity else {
                throw PlanningIssue("Delete needs defaultCapacity to restore, and none is configured")
            }
            let window = restoreWindow(c)
            entries = [GreenFluxCapacityScenario(capacity: capacity, start: window.start, end: window.end)]
            (start, end) = window
        } else {
            let resolved = try resolvedSchedule(c)
            entries = resolved.periods.indices.map { i in
                GreenFluxCapacityScenario(
                    capacity: CapLimits.greenFluxCapacity(resolved.periods[i].cap, unit: s.capacityUnit, s.electrical),
                    start: resolved.periodStart(i), end: resolved.periodEnd(i, horizon: horizonSeconds))
            }
            start = resolved.start
            end = resolved.periodEnd(resolved.periods.count - 1, horizon: horizonSeconds)
            if let first = entries.first {
                applied = s.capacityUnit == .amps ? AppliedCap(amps: first.capacity, electrical: s.electrical)
                    : AppliedCap(watts: first.capacity, electrical: s.electrical)
            }
        }
        return Content(action: Planner.greenFluxAction, method: "PUT", address: .url(url),
                       body: GreenFluxCapacityScenario.body(entries), windowStart: start, windowEnd: end, applied: applied)
    }
}
