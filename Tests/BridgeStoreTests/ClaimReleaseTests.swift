import Foundation
import Testing
@testable import BridgeStore

/// `releaseAllClaims`: what a `serve` holding the store lock does at start-up with a dead process's claims.
@Suite struct ClaimReleaseTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    func delivery(_ key: String, target: String) -> NewDelivery {
        NewDelivery(eventId: "e1", targetKey: target, channel: "solarnetwork-ocpp", operation: "Create",
                    idempotencyKey: key, requestJSON: "{\"k\":\"\(key)\"}")
    }

    @Test func releasesEveryOpenClaimAndChangesNothingElse() throws {
        let temp = TemporaryStore()
        var store = try temp.open { $0.claimLeaseSeconds = 120 }
        let inbox = try store.admitNow(record("n1", eventId: "e1")).id
        let ids = try store.plan(inboxId: inbox, state: InboxState.planned, deliveries: [
            delivery("pending-claimed", target: "A"), delivery("sent-claimed", target: "B"),
            delivery("unclaimed", target: "C"), delivery("done", target: "D"),
        ], now: t0)
        // A, B and D are claimed by a sender; C's not-before keeps it unclaimed.
        try store.updateDelivery(deliveryId: ids[2], newState: DeliveryState.pending,
                                 nextAttemptAt: t0.addingTimeInterval(3_600), externalId: nil, lastError: nil,
                                 result: nil, now: t0)
        #expect(try Set(store.claimDueDeliveries(now: t0, limit: 10).map(\.id)) == [ids[0], ids[1], ids[3]])
        // B was mid-send (the intent recorded, state sent, in-flight lease), then claimed by the tracker.
        try store.updateDelivery(deliveryId: ids[1], newState: DeliveryState.sent,
                                 nextAttemptAt: t0.addingTimeInterval(5), externalId: nil, lastError: nil,
                                 result: nil, now: t0)
        #expect(try store.claimDueDeliveries(now: t0.addingTimeInterval(5), limit: 10, state: DeliveryState.sent)
            .map(\.id) == [ids[1]])
        try store.recordAttempt(deliveryId: ids[3], attempt: AttemptRecord(startedAt: t0, outcome: "ok"),
                                newState: DeliveryState.done, nextAttemptAt: nil, externalId: "i-4", lastError: nil,
                                result: nil, now: t0)
        // A final row with a left-over claim (cannot happen through the API) is not touched.
        try store.writeNow { (db) throws(StoreError) in
            _ = try db.run("UPDATE deliveries SET claimed_until = ? WHERE id = ?", [t0.addingTimeInterval(60), ids[3]])
        }

        let reportIds = try [
            store.enqueueReport(NewReport(inboxId: inbox, eventId: "e1", idempotencyKey: "r-claimed", requestJSON: "{}"),
                                now: t0),
            store.enqueueReport(NewReport(eventId: "e2", idempotencyKey: "r-later", requestJSON: "{}",
                                          notBefore: t0.addingTimeInterval(3_600)), now: t0),
        ]
        #expect(try store.claimDueReports(now: t0, limit: 10).map(\.id) == [reportIds[0]])

        // The process dies holding its claims; the next one opens the store.
        store.close()
        store = try temp.open { $0.claimLeaseSeconds = 120 }
        defer { store.close() }
        let deliveriesBefore = try store.deliveries(limit: 100)
        let reportsBefore = try store.reports(limit: 100)
        #expect(deliveriesBefore.filter { $0.claimedUntil != nil }.count == 3)

        let released = try store.releaseAllClaims()
        #expect(released.deliveries == 2)
        #expect(released.reports == 1)

        let deliveriesAfter = try store.deliveries(limit: 100)
        var expected = deliveriesBefore
        for index in expected.indices where !expected[index].isFinal { expected[index].claimedUntil = nil }
        #expect(deliveriesAfter == expected)
        #expect(try store.delivery(id: ids[1])?.state == DeliveryState.sent)
        #expect(try store.delivery(id: ids[1])?.nextAttemptAt == t0.addingTimeInterval(5))
        #expect(try store.delivery(id: ids[3])?.claimedUntil == t0.addingTimeInterval(60))
        var expectedReports = reportsBefore
        for index in expectedReports.indices { expectedReports[index].claimedUntil = nil }
        #expect(try store.reports(limit: 100) == expectedReports)
        #expect(try store.attempts(deliveryId: ids[0]).isEmpty)

        // Offered again at once, long before the 120 s lease would have ended — through the usual claim.
        let soon = t0.addingTimeInterval(10)
        #expect(try store.claimDueDeliveries(now: soon, limit: 10).map(\.id) == [ids[0]])
        #expect(try store.claimDueDeliveries(now: soon, limit: 10, state: DeliveryState.sent).map(\.id) == [ids[1]])
        #expect(try store.claimDueReports(now: soon, limit: 10).map(\.id) == [reportIds[0]])
    }

    @Test func releasingWithoutClaimsChangesNothing() throws {
        let temp = TemporaryStore()
        let store = try temp.open()
        defer { store.close() }
        let inbox = try store.admitNow(record("n1", eventId: "e1")).id
        _ = try store.plan(inboxId: inbox, state: InboxState.planned, deliveries: [delivery("a", target: "A")], now: t0)
        let before = try store.deliveries(limit: 10)
        let released = try store.releaseAllClaims()
        #expect(released.deliveries == 0)
        #expect(released.reports == 0)
        #expect(try store.deliveries(limit: 10) == before)
    }
}
