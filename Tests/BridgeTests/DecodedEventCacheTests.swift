import EnergyCoordination
import Testing
@testable import Bridge

@Suite struct DecodedEventCacheTests {
    func event(_ id: String) -> CoordinationEvent {
        CoordinationEvent(id: id, dialect: .ecV1, operation: .create, payloadType: "CurrentLevel", isMappable: true,
                          targets: [EventTarget(resourceId: "vehicle-1")])
    }

    @Test func anEntryIsTakenOnceForItsRow() {
        let cache = DecodedEventCache(capacity: 4)
        let e1 = event("e1")
        cache.remember(inboxId: 1, dedupeKey: "notification:n1", event: e1)
        #expect(cache.take(inboxId: 2, dedupeKey: "notification:n1") == nil)
        #expect(cache.take(inboxId: 1, dedupeKey: "notification:n1") == e1)
        #expect(cache.take(inboxId: 1, dedupeKey: "notification:n1") == nil)
        #expect(cache.count == 0)
    }

    @Test func anEntryKeptForAnotherDedupeKeyIsNotUsed() {
        let cache = DecodedEventCache(capacity: 4)
        cache.remember(inboxId: 1, dedupeKey: "notification:n1", event: event("e1"))
        #expect(cache.take(inboxId: 1, dedupeKey: "notification:other") == nil)
        // Taken either way: a mismatched entry is never used later.
        #expect(cache.count == 0)
    }

    @Test func theOldestEntriesAreDropped() {
        let cache = DecodedEventCache(capacity: 2)
        for index in 1...3 {
            cache.remember(inboxId: Int64(index), dedupeKey: "k\(index)", event: event("e\(index)"))
        }
        #expect(cache.count == 2)
        #expect(cache.take(inboxId: 1, dedupeKey: "k1") == nil)
        #expect(cache.take(inboxId: 3, dedupeKey: "k3") == event("e3"))
        #expect(cache.take(inboxId: 2, dedupeKey: "k2") == event("e2"))
    }

    @Test func aTakenEntryDoesNotEvictALaterOneWhenTheRingComesRound() {
        let cache = DecodedEventCache(capacity: 2)
        cache.remember(inboxId: 1, dedupeKey: "k1", event: event("e1"))
        #expect(cache.take(inboxId: 1, dedupeKey: "k1") == event("e1"))
        cache.remember(inboxId: 2, dedupeKey: "k2", event: event("e2"))
        cache.remember(inboxId: 3, dedupeKey: "k3", event: event("e3"))  // reuses row 1's slot
        #expect(cache.count == 2)
        #expect(cache.take(inboxId: 2, dedupeKey: "k2") == event("e2"))
        #expect(cache.take(inboxId: 3, dedupeKey: "k3") == event("e3"))
    }
}
