import EnergyCoordination
import Testing
@testable import Bridge

@Suite struct DecodedEventCacheTests {
    func event(_ id: String) -> CoordinationEvent {
        CoordinationEvent(id: id, dialect: .ecV1, operation: .create, payloadType: "CurrentLevel", isMappable: true,
                          targets: [EventTarget(resourceId: "vehicle-1")])
    }

    @Test func anEntryIsTakenOnceForTheSameText() {
        let cache = DecodedEventCache(capacity: 4)
        let e1 = event("e1")
        let text = e1.json.compactText
        cache.remember(dedupeKey: "notification:n1", eventJSON: text, event: e1)
        #expect(cache.take(dedupeKey: "notification:n2", eventJSON: text) == nil)
        #expect(cache.take(dedupeKey: "notification:n1", eventJSON: text) == e1)
        #expect(cache.take(dedupeKey: "notification:n1", eventJSON: text) == nil)
        #expect(cache.count == 0)
    }

    @Test func anEntryForOtherTextIsNotUsed() {
        let cache = DecodedEventCache(capacity: 4)
        let e1 = event("e1")
        cache.remember(dedupeKey: "notification:n1", eventJSON: e1.json.compactText, event: e1)
        #expect(cache.take(dedupeKey: "notification:n1", eventJSON: event("e2").json.compactText) == nil)
        #expect(cache.take(dedupeKey: "notification:n1", eventJSON: nil) == nil)
    }

    @Test func theOldestEntriesAreDropped() {
        let cache = DecodedEventCache(capacity: 2)
        for index in 1...3 {
            let e = event("e\(index)")
            cache.remember(dedupeKey: "k\(index)", eventJSON: e.json.compactText, event: e)
        }
        #expect(cache.count == 2)
        #expect(cache.take(dedupeKey: "k1", eventJSON: event("e1").json.compactText) == nil)
        #expect(cache.take(dedupeKey: "k3", eventJSON: event("e3").json.compactText) == event("e3"))
        #expect(cache.take(dedupeKey: "k2", eventJSON: event("e2").json.compactText) == event("e2"))
    }
}
