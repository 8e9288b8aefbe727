import Essentials
import FoundationEssentials

/// The normalised event as JSON: what the inbox stores, workers reload, and `ecbridge map` prints as
/// `event` (design.md §4.3).
///
/// Why a fixed layout: operators and golden tests compare this text, so keys come in a stable order,
/// times are RFC 3339 UTC (milliseconds only when non-zero), caps are plain decimals in W or A.
/// `start`/`end` (event level) and `end` (schedule level) are derived for readers and ignored when read back.
extension CoordinationEvent {
    public var json: JSON {
        let window = overallWindow
        return JSON.members([
            ("id", .string(id)),
            ("notificationId", notificationId.map(JSON.string)),
            ("dialect", .string(dialect.rawValue)),
            ("operation", operation.map { .string($0.rawValue) } ?? .null),
            ("payloadType", .string(payloadType)),
            ("isMappable", .bool(isMappable)),
            ("name", name.map(JSON.string)),
            ("programId", programId.map(JSON.string)),
            ("priority", priority.map { JSON.int($0) }),
            ("createdAt", createdAt.map { .string(EventTime.text($0)) }),
            ("modifiedAt", modifiedAt.map { .string(EventTime.text($0)) }),
            ("sentAt", sentAt.map { .string(EventTime.text($0)) }),
            ("start", window.start),
            ("end", window.end),
            ("targets", .array(targets.map(\.json))),
            ("notes", .array(notes.map(JSON.string))),
        ])
    }

    /// Rebuilds the event from `json` (the inverse of `json`; derived members are ignored).
    public init(json: JSON) throws(DecodeError) {
        let root = FieldReader(json, path: "event")
        _ = try root.object()
        let dialectField = try root.required("dialect")
        let dialectText = try dialectField.string()
        guard let dialect = Dialect(rawValue: dialectText) else {
            throw dialectField.fail("unknown dialect \(DecodeError.snippet(dialectText))")
        }
        var operation: Operation? = nil
        if let field = root.optional("operation") {
            let text = try field.string()
            guard let parsed = Operation(rawValue: text) else {
                throw field.fail("unknown operation \(DecodeError.snippet(text))")
            }
            operation = parsed
        }
        self.init(
            id: try root.required("id").string(),
            notificationId: try root.optional("notificationId")?.string(),
            dialect: dialect,
            operation: operation,
            payloadType: try root.required("payloadType").string(),
            isMappable: try root.required("isMappable").bool(),
            name: try root.optional("name")?.string(),
            programId: try root.optional("programId")?.string(),
            priority: try root.optional("priority")?.int(),
            createdAt: try root.optional("createdAt")?.timestamp(),
            modifiedAt: try root.optional("modifiedAt")?.timestamp(),
            sentAt: try root.optional("sentAt")?.timestamp(),
            targets: try (root.optional("targets")?.array() ?? []).map { (field) throws(DecodeError) in
                try EventTarget(field)
            },
            notes: try (root.optional("notes")?.array() ?? []).map { (field) throws(DecodeError) in
                try field.string()
            })
    }

    /// Event-level `start` and `end`: the earliest start and latest end over the targets' schedules.
    /// `"now"` when a schedule starts on receipt; `end` is null when open-ended or relative to now.
    private var overallWindow: (start: JSON, end: JSON) {
        let texts = overallWindowTexts(ends: targets.compactMap(\.schedule).map(\.end))
        return (texts.start.map(JSON.string) ?? .null, texts.end.map(JSON.string) ?? .null)
    }

    /// The window as texts (`nil` for null); `ends` are the schedules' `end`, in order.
    private func overallWindowTexts(ends: [Date?]) -> (start: String?, end: String?) {
        let schedules = targets.compactMap(\.schedule)
        guard !schedules.isEmpty else { return (nil, nil) }
        var earliest: Date? = nil
        var latest: Date? = nil
        var startsNow = false
        var endless = false
        for (schedule, end) in zip(schedules, ends) {
            switch schedule.start {
            case .now:
                startsNow = true
            case let .at(date):
                earliest = min(earliest ?? date, date)
                if let end { latest = max(latest ?? end, end) } else { endless = true }
            }
            if schedule.duration == nil { endless = true }
        }
        let start = startsNow ? "now" : earliest.map(EventTime.text)
        let end = startsNow || endless ? nil : latest.map(EventTime.text)
        return (start, end)
    }

    /// Exactly `json.compactText`, written straight to bytes: this is what the intake stores for every
    /// request, and building the `JSON` tree first cost more than writing the text.
    public var compactJSONText: String {
        let schedules = targets.compactMap(\.schedule)
        let ends = schedules.map(\.end)
        let window = overallWindowTexts(ends: ends)
        var out = JSONStream(capacity: 768)
        out.beginObject()
        out.key("id"); out.string(id)
        out.member("notificationId", ifPresent: notificationId)
        out.key("dialect"); out.string(dialect.rawValue)
        out.key("operation"); out.stringOrNull(operation?.rawValue)
        out.key("payloadType"); out.string(payloadType)
        out.key("isMappable"); out.bool(isMappable)
        out.member("name", ifPresent: name)
        out.member("programId", ifPresent: programId)
        if let priority { out.key("priority"); out.int(priority) }
        if let createdAt { out.key("createdAt"); out.timestamp(createdAt, fractional: true) }
        if let modifiedAt { out.key("modifiedAt"); out.timestamp(modifiedAt, fractional: true) }
        if let sentAt { out.key("sentAt"); out.timestamp(sentAt, fractional: true) }
        out.key("start"); out.stringOrNull(window.start)
        out.key("end"); out.stringOrNull(window.end)
        out.key("targets")
        out.beginArray()
        var scheduleIndex = 0
        for target in targets {
            out.beginObject()
            out.member("resourceId", ifPresent: target.resourceId)
            out.member("locationId", ifPresent: target.locationId)
            out.member("meterPointId", ifPresent: target.meterPointId)
            out.key("schedule")
            if let schedule = target.schedule {
                schedule.write(to: &out, end: ends[scheduleIndex])
                scheduleIndex += 1
            } else {
                out.null()
            }
            out.endObject()
        }
        out.endArray()
        out.key("notes")
        out.beginArray()
        for note in notes { out.string(note) }
        out.endArray()
        out.endObject()
        return out.text
    }
}

extension CapSchedule {
    /// `start + duration` for an absolute start and a finite duration.
    public var end: Date? {
        guard case let .at(date) = start, let duration else { return nil }
        return EventTime.canonical(date.addingTimeInterval(TimeInterval(duration)))
    }

    /// `json`, written into `out`; `end` is this schedule's `end` (computed once by the caller).
    func write(to out: inout JSONStream, end: Date?) {
        out.beginObject()
        out.key("start")
        switch start {
        case .now: out.string("now")
        case let .at(date): out.timestamp(date, fractional: true)
        }
        out.key("duration")
        if let duration { out.int(duration) } else { out.null() }
        out.key("end")
        if let end { out.timestamp(end, fractional: true) } else { out.null() }
        out.key("randomizeStart"); out.int(randomizeStart)
        out.key("periods")
        out.beginArray()
        for period in periods {
            out.beginObject()
            out.key("offset"); out.int(period.offset)
            out.key("value"); out.number(DecimalText.plain(period.cap.value))
            out.key("unit"); out.string(period.cap.unit.rawValue)
            out.endObject()
        }
        out.endArray()
        out.endObject()
    }

    var json: JSON {
        let startText: String
        switch start {
        case .now: startText = "now"
        case let .at(date): startText = EventTime.text(date)
        }
        return JSON.members([
            ("start", .string(startText)),
            ("duration", duration.map { JSON.int($0) } ?? .null),
            ("end", end.map { .string(EventTime.text($0)) } ?? .null),
            ("randomizeStart", JSON.int(randomizeStart)),
            ("periods", .array(periods.map { period in
                JSON.members([
                    ("offset", JSON.int(period.offset)),
                    ("value", JSON.decimal(period.cap.value)),
                    ("unit", .string(period.cap.unit.rawValue)),
                ])
            })),
        ])
    }

    init(_ field: FieldReader) throws(DecodeError) {
        _ = try field.object()
        let startField = try field.required("start")
        let start: ScheduleStart = try startField.string() == "now" ? .now : .at(try startField.timestamp())
        var periods: [Period] = []
        for item in try field.required("periods").array() {
            _ = try item.object()
            let unitField = try item.required("unit")
            let unitText = try unitField.string()
            guard let unit = Cap.Unit(rawValue: unitText) else {
                throw unitField.fail("unknown unit \(DecodeError.snippet(unitText))")
            }
            periods.append(Period(offset: try item.required("offset").int(),
                                  cap: Cap(try item.required("value").decimal(), unit)))
        }
        self.init(start: start, duration: try field.optional("duration")?.int(),
                  randomizeStart: try field.optional("randomizeStart")?.int() ?? 0, periods: periods)
    }
}

extension EventTarget {
    var json: JSON {
        JSON.members([
            ("resourceId", resourceId.map(JSON.string)),
            ("locationId", locationId.map(JSON.string)),
            ("meterPointId", meterPointId.map(JSON.string)),
            ("schedule", schedule?.json ?? .null),
        ])
    }

    init(_ field: FieldReader) throws(DecodeError) {
        _ = try field.object()
        self.init(resourceId: try field.optional("resourceId")?.string(),
                  locationId: try field.optional("locationId")?.string(),
                  meterPointId: try field.optional("meterPointId")?.string(),
                  schedule: try field.optional("schedule").map { (item) throws(DecodeError) in
                      try CapSchedule(item)
                  })
    }
}
