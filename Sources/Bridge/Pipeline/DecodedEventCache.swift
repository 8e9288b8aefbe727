import EnergyCoordination
import Synchronization

/// Events the intake has just stored, still decoded, so the planner need not decode their raw body again
/// (decoding was a quarter of the planner's work per row).
///
/// One cache per runtime, shared by its intake and its planning worker. An entry is found by its inbox row
/// id and used only when the row's dedupe key matches too (ids are unique in one store; the key guards
/// against a cache that was handed to a second store by mistake). Decoding is deterministic, so planning
/// from an entry gives the same plan as decoding the row, as after a restart. Bounded: the oldest entries
/// are dropped, and a row without an entry is simply decoded from its raw body.
public final class DecodedEventCache: Sendable {
    private struct Entry {
        let dedupeKey: String
        let event: CoordinationEvent
    }

    private struct State {
        var entries: [Int64: Entry] = [:]
        /// Row ids in insertion order, a ring of `capacity` slots.
        var order: [Int64?]
        var next = 0
    }

    private let capacity: Int
    private let state: Mutex<State>

    /// `capacity` entries at most (at least 1).
    public init(capacity: Int = 1_024) {
        self.capacity = max(1, capacity)
        state = Mutex(State(order: Array(repeating: nil, count: max(1, capacity))))
    }

    /// Keeps `event`, just stored as inbox row `inboxId` with `dedupeKey`.
    public func remember(inboxId: Int64, dedupeKey: String, event: CoordinationEvent) {
        let entry = Entry(dedupeKey: dedupeKey, event: event)
        // The evicted entry is returned, so it is released after the lock is let go.
        _ = state.withLock { state -> Entry? in
            var evicted: Entry?
            if let oldest = state.order[state.next] { evicted = state.entries.removeValue(forKey: oldest) }
            state.order[state.next] = inboxId
            state.next = (state.next + 1) % capacity
            state.entries[inboxId] = entry
            return evicted
        }
    }

    /// The event kept for this row, removing it; `nil` when there is none or it was kept for another key.
    public func take(inboxId: Int64, dedupeKey: String) -> CoordinationEvent? {
        let entry = state.withLock { state in state.entries.removeValue(forKey: inboxId) }
        guard let entry, entry.dedupeKey == dedupeKey else { return nil }
        return entry.event
    }

    /// How many entries are kept now (tests).
    var count: Int { state.withLock { $0.entries.count } }
}
