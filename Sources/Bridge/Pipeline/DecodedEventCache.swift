import EnergyCoordination
import Synchronization

/// Events the intake has just stored, still decoded, so the planner need not parse their JSON again
/// (parsing and rebuilding the event was a quarter of the planner's work per row).
///
/// An entry is used only for the row it was made for: it is found by the row's dedupe key (unique in a
/// store) and used only when the row's stored event JSON is the same text. The event JSON round-trips
/// exactly (`EventJSONTests`), so planning from the entry gives the same plan as parsing the row, as after
/// a restart. Bounded: the oldest entries are dropped, and a row without an entry is simply parsed.
/// Content-checked entries also make one cache safe to share between runtimes in one process.
public final class DecodedEventCache: Sendable {
    /// The cache `serve` uses (the intake fills it, the planning worker empties it).
    public static let shared = DecodedEventCache(capacity: 1_024)

    private struct Entry {
        let eventJSON: String
        let event: CoordinationEvent
    }

    private struct State {
        var entries: [String: Entry] = [:]
        /// Keys in insertion order, a ring of `capacity` slots.
        var order: [String?]
        var next = 0
    }

    private let capacity: Int
    private let state: Mutex<State>

    /// `capacity` entries at most (at least 1).
    public init(capacity: Int) {
        self.capacity = max(1, capacity)
        state = Mutex(State(order: Array(repeating: nil, count: max(1, capacity))))
    }

    /// Keeps `event`, stored as `eventJSON` in the row with `dedupeKey`.
    public func remember(dedupeKey: String, eventJSON: String, event: CoordinationEvent) {
        let entry = Entry(eventJSON: eventJSON, event: event)
        state.withLock { state in
            if let evicted = state.order[state.next] { state.entries[evicted] = nil }
            state.order[state.next] = dedupeKey
            state.next = (state.next + 1) % capacity
            state.entries[dedupeKey] = entry
        }
    }

    /// The event kept for this row, removing it; `nil` when there is none or its text differs.
    public func take(dedupeKey: String, eventJSON: String?) -> CoordinationEvent? {
        guard let eventJSON else { return nil }
        let entry = state.withLock { state in state.entries.removeValue(forKey: dedupeKey) }
        guard let entry, entry.eventJSON == eventJSON else { return nil }
        return entry.event
    }

    /// How many entries are kept now (tests).
    var count: Int { state.withLock { $0.entries.count } }
}
