import Foundation
import Testing
@testable import BridgeStore

@Suite struct OutboxTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    func delivery(_ key: String, target: String = "ocpp:1", eventId: String? = nil,
                  notBefore: Date? = nil) -> NewDelivery {
        NewDelivery(eventId: eventId, targetKey: target, channel: "solarnetwork-ocpp", operation: "Create",
                    idempotencyKey: key, requestJSON: "{\"k\":\"\(key)\"}", notBefore: notBefore)
    }

    @Test func planInsertsAndMarksTheInboxRow() throws {
        let temp = TemporaryStore()
        let store = try temp.open()
        defer { store.close() }
        let inbox = try store.admitNow(record("n1", eventId: "e1")).id
        let ids = try store.plan(inboxId: inbox, state: InboxState.planned,
                                 deliveries: [delivery("a", target: "t1"), delivery("b", target: "t2")], now: t0)
        #expect(ids.count == 2)
        let row = try #require(try store.inboxRow(id: inbox))
        #expect(row.state == "planned")
        #expect(row.plannedAt == t0)
        #expect(try store.unplannedInbox(limit: 10).isEmpty)
        let a = try #require(try store.delivery(id: ids[0]))
        #expect(a.eventId == "e1")
        #expect(a.inboxId == inbox)
        #expect(a.state == "pending")
        #expect(a.sequence == 1)
        #expect(a.requestJSON == "{\"k\":\"a\"}")
        #expect(a.nextAttemptAt == t0)
        #expect(try store.deliveries(eventId: "e1").map(\.id) == ids)
        #expect(throws: StoreError.notFound) { try store.plan(inboxId: 999, state: "planned", deliveries: []) }
    }

    @Test func rowsToPlanCarryWhatThePlannerReadsOldestFirst() throws {
        let temp = TemporaryStore()
        let store = try temp.open()
        defer { store.close() }
        let first = try store.admitNow(record("n1", eventId: "e1"))
        _ = try store.admitNow(record("n2", eventId: "e2", state: InboxState.ignored))
        let third = try store.admitNow(record("n3", eventId: "e1"))
        let rows = try store.inboxRowsToPlan(limit: 10)
        #expect(rows.map(\.id) == [first.id, third.id])
        #expect(rows.map(\.operation) == ["Create", "Update"])
        let full = try #require(try store.inboxRow(id: third.id))
        #expect(rows[1] == InboxRowToPlan(id: full.id, dedupeKey: full.dedupeKey, eventId: full.eventId,
                                          operation: full.operation, eventJSON: full.eventJSON,
                                          receivedAt: full.receivedAt))
        #expect(try store.inboxRowsToPlan(limit: 1).map(\.id) == [first.id])
        #expect(try store.unplannedInbox(limit: 10).map(\.id) == rows.map(\.id))
    }

    @Test func planIsIdempotentPerKey() throws {
        let temp = TemporaryStore()
        let store = try temp.open()
        defer { store.close() }
        let inbox = try store.admitNow(record("n1", eventId: "e1")).id
        let first = try store.plan(inboxId: inbox, state: "planned", deliveries: [delivery("a")], now: t0)
        let again = try store.plan(inboxId: inbox, state: "planned", deliveries: [delivery("a")], now: t0)
        #expect(first == again)
        #expect(try store.delivery(id: first[0])?.state == "pending")
        #expect(try store.deliveries(limit: 10).count == 1)
    }

    @Test func aKeyRepeatedWithinOneCallIsInsertedOnce() throws {
        let temp = TemporaryStore()
        let store = try temp.open()
        defer { store.close() }
        let inbox = try store.admitNow(record("n1", eventId: "e1")).id
        let ids = try store.plan(inboxId: inbox, state: "planned",
                                 deliveries: [delivery("a", target: "t1"), delivery("b", target: "t2"),
                                              delivery("a", target: "t1")], now: t0)
        #expect(ids.count == 3)
        #expect(ids[0] == ids[2])
        #expect(ids[0] != ids[1])
        #expect(try store.deliveries(limit: 10).count == 2)
    }

    @Test func aBatchRecordsEveryRowAndIsolatesAFailingOne() throws {
        let temp = TemporaryStore()
        let store = try temp.open()
        defer { store.close() }
        let first = try store.admitNow(record("n1", eventId: "e1")).id
        let second = try store.admitNow(record("n2", eventId: "e2")).id
        let results = try store.plan(batch: [
            InboxPlan(inboxId: first, state: "planned", deliveries: [delivery("a", target: "t1")], planJSON: "{}"),
            InboxPlan(inboxId: 999, state: "planned", deliveries: [delivery("lost", target: "t1")]),
            InboxPlan(inboxId: second, state: "failed", error: "unreadable"),
        ], now: t0)
        #expect(results.count == 3)
        let ids = try results[0].get()
        #expect(ids.count == 1)
        #expect(throws: StoreError.notFound) { try results[1].get() }
        #expect(try results[2].get().isEmpty)
        // The failing row's delivery was rolled back with it; the others are committed.
        #expect(try store.deliveries(limit: 10).map(\.idempotencyKey) == ["a"])
        #expect(try store.delivery(id: ids[0])?.eventId == "e1")
        #expect(try store.inboxRow(id: first)?.state == "planned")
        #expect(try store.inboxRow(id: first)?.planJSON == "{}")
        #expect(try store.inboxRow(id: second)?.state == "failed")
        #expect(try store.inboxRow(id: second)?.error == "unreadable")
        #expect(try store.unplannedInbox(limit: 10).isEmpty)
        #expect(try store.plan(batch: []).isEmpty)
    }

    @Test func aLaterRowOfABatchSupersedesAnEarlierOneAndReplayingIsHarmless() throws {
        let temp = TemporaryStore()
        let store = try temp.open()
        defer { store.close() }
        let create = try store.admitNow(record("n1", eventId: "e1")).id
        let update = try store.admitNow(record("n2", eventId: "e1")).id
        let batch = [
            InboxPlan(inboxId: create, state: "planned", deliveries: [delivery("c1", target: "t1")]),
            InboxPlan(inboxId: update, state: "planned", deliveries: [delivery("u1", target: "t1")]),
        ]
        let results = try store.plan(batch: batch, now: t0)
        let old = try results[0].get()
        let new = try results[1].get()
        #expect(try store.delivery(id: old[0])?.state == "superseded")
        #expect(try store.delivery(id: new[0])?.state == "pending")
        #expect(try store.delivery(id: new[0])?.sequence == 2)
        // Planned again (a crash before the worker saw the answer): same ids, nothing new.
        let again = try store.plan(batch: batch, now: t0.addingTimeInterval(1))
        #expect(try again.map { try $0.get() } == [old, new])
        #expect(try store.counts().deliveries == ["pending": 1, "superseded": 1])
    }

    @Test func updateSupersedesPendingDeliveriesOfTheSameEventAndTarget() throws {
        let temp = TemporaryStore()
        let store = try temp.open()
        defer { store.close() }
        let create = try store.admitNow(record("n1", eventId: "e1")).id
        let old = try store.plan(inboxId: create, state: "planned",
                                 deliveries: [delivery("c1", target: "t1"), delivery("c2", target: "t2")], now: t0)
        let other = try store.admitNow(record("n2", eventId: "e2")).id
        let otherIds = try store.plan(inboxId: other, state: "planned", deliveries: [delivery("x", target: "t1")],
                                      now: t0)
        let update = try store.admitNow(record("n3", eventId: "e1")).id
        let new = try store.plan(inboxId: update, state: "planned", deliveries: [delivery("u1", target: "t1")],
                                 now: t0.addingTimeInterval(1))

        #expect(try store.delivery(id: old[0])?.state == "superseded")
        #expect(try store.delivery(id: old[0])?.finalAt == t0.addingTimeInterval(1))
        #expect(try store.delivery(id: old[1])?.state == "pending")      // other target
        #expect(try store.delivery(id: otherIds[0])?.state == "pending") // other event
        let u1 = try #require(try store.delivery(id: new[0]))
        #expect(u1.state == "pending")
        #expect(u1.sequence == 3)
        #expect(try store.counts().deliveries == ["pending": 3, "superseded": 1])
    }

    @Test func sentDeliveriesAreNotSuperseded() throws {
        let temp = TemporaryStore()
        let store = try temp.open()
        defer { store.close() }
        let create = try store.admitNow(record("n1", eventId: "e1")).id
        let old = try store.plan(inboxId: create, state: "planned", deliveries: [delivery("c1")], now: t0)
        let claimed = try store.claimDueDeliveries(now: t0, limit: 10)
        #expect(claimed.map(\.id) == old)
        try store.recordAttempt(deliveryId: old[0], attempt: AttemptRecord(startedAt: t0, outcome: "ok"),
                                newState: "sent", nextAttemptAt: t0.addingTimeInterval(5), externalId: "instr-1",
                                lastError: nil, result: nil, now: t0)
        let update = try store.admitNow(record("n2", eventId: "e1")).id
        _ = try store.plan(inboxId: update, state: "planned", deliveries: [delivery("u1")], now: t0)
        #expect(try store.delivery(id: old[0])?.state == "sent")
    }

    @Test func claimedDeliveriesAreNotSupersededWhileTheClaimHolds() throws {
        let temp = TemporaryStore()
        let store = try temp.open { $0.claimLeaseSeconds = 60 }
        defer { store.close() }
        let create = try store.admitNow(record("n1", eventId: "e1")).id
        let old = try store.plan(inboxId: create, state: "planned", deliveries: [delivery("c1")], now: t0)
        _ = try store.claimDueDeliveries(now: t0, limit: 10)
        let update = try store.admitNow(record("n2", eventId: "e1")).id
        let new = try store.plan(inboxId: update, state: "planned", deliveries: [delivery("u1")],
                                 now: t0.addingTimeInterval(10))
        #expect(try store.delivery(id: old[0])?.state == "pending")
        // The new delivery waits behind the one in flight.
        #expect(try store.claimDueDeliveries(now: t0.addingTimeInterval(20), limit: 10).isEmpty)
        try store.recordAttempt(deliveryId: old[0], attempt: AttemptRecord(startedAt: t0, outcome: "ok"),
                                newState: "done", nextAttemptAt: nil, externalId: nil, lastError: nil, result: nil)
        #expect(try store.claimDueDeliveries(now: t0.addingTimeInterval(20), limit: 10).map(\.id) == new)
    }

    @Test func claimRespectsPerTargetOrderAndDueTime() throws {
        let temp = TemporaryStore()
        let store = try temp.open { $0.claimLeaseSeconds = 600 }
        defer { store.close() }
        let e1 = try store.admitNow(record("n1", eventId: "e1")).id
        let first = try store.plan(inboxId: e1, state: "planned",
                                   deliveries: [delivery("a1", target: "A"), delivery("b1", target: "B"),
                                                delivery("c1", target: "C", notBefore: t0.addingTimeInterval(100))],
                                   now: t0)
        let e2 = try store.admitNow(record("n2", eventId: "e2")).id
        let second = try store.plan(inboxId: e2, state: "planned",
                                    deliveries: [delivery("a2", target: "A"), delivery("b2", target: "B")], now: t0)

        // Only the head of each target, and only when due.
        let claimed = try store.claimDueDeliveries(now: t0, limit: 10)
        #expect(Set(claimed.map(\.id)) == [first[0], first[1]])
        #expect(claimed.allSatisfy { $0.claimedUntil == t0.addingTimeInterval(600) })
        // Claimed ones are not handed out twice while the claim holds.
        #expect(try store.claimDueDeliveries(now: t0.addingTimeInterval(1), limit: 10).isEmpty)

        // A1 succeeds: A2 becomes due. B1 fails transiently: B2 still waits behind it.
        try store.recordAttempt(deliveryId: first[0],
                                attempt: AttemptRecord(startedAt: t0, latencyMs: 12, httpStatus: 200, outcome: "ok"),
                                newState: "done", nextAttemptAt: nil, externalId: "i-1", lastError: nil,
                                result: "{\"ok\":true}", now: t0.addingTimeInterval(2))
        try store.recordAttempt(deliveryId: first[1],
                                attempt: AttemptRecord(startedAt: t0, httpStatus: 503, outcome: "transient",
                                                       error: "HTTP 503"),
                                newState: "pending", nextAttemptAt: t0.addingTimeInterval(30), externalId: nil,
                                lastError: "HTTP 503", result: nil, now: t0.addingTimeInterval(2))
        let next = try store.claimDueDeliveries(now: t0.addingTimeInterval(3), limit: 10)
        #expect(next.map(\.id) == [second[0]])

        // B1's retry time and C1's not-before arrive.
        let later = try store.claimDueDeliveries(now: t0.addingTimeInterval(100), limit: 10)
        #expect(Set(later.map(\.id)) == [first[1], first[2]])

        let a1 = try #require(try store.delivery(id: first[0]))
        #expect(a1.state == "done")
        #expect(a1.attempts == 1)
        #expect(a1.externalId == "i-1")
        #expect(a1.resultJSON == "{\"ok\":true}")
        #expect(a1.finalAt == t0.addingTimeInterval(2))
        #expect(a1.claimedUntil == nil)
        let b1 = try #require(try store.delivery(id: first[1]))
        #expect(b1.lastError == "HTTP 503")
        #expect(b1.finalAt == nil)
        let attempts = try store.attempts(deliveryId: first[1])
        #expect(attempts.count == 1)
        #expect(attempts.first?.httpStatus == 503)
        #expect(attempts.first?.outcome == "transient")
        #expect(try store.attempts(deliveryId: first[0]).first?.latencyMs == 12)
    }

    @Test func aTargetsQueueMovesOnAsItsHeadFinishesAndWaitsAgainWhenItIsRetried() throws {
        let temp = TemporaryStore()
        let store = try temp.open { $0.claimLeaseSeconds = 1 }
        defer { store.close() }
        var ids: [Int64] = []
        for index in 1...4 {
            let inbox = try store.admitNow(record("n\(index)", eventId: "e\(index)")).id
            ids += try store.plan(inboxId: inbox, state: "planned", deliveries: [delivery("a\(index)", target: "A")],
                                  now: t0)
        }
        func claim(_ seconds: Double) throws -> [Int64] {
            try store.claimDueDeliveries(now: t0.addingTimeInterval(seconds), limit: 10).map(\.id)
        }
        #expect(try claim(0) == [ids[0]])
        try store.recordAttempt(deliveryId: ids[0], attempt: AttemptRecord(startedAt: t0, outcome: "permanent"),
                                newState: "failed", nextAttemptAt: nil, externalId: nil, lastError: "HTTP 400",
                                result: nil, now: t0)
        #expect(try claim(10) == [ids[1]])
        // The failed head is put back: it goes first again, the one after it waits (its claim has expired).
        #expect(try store.retry(deliveryId: ids[0], now: t0.addingTimeInterval(20)) == true)
        #expect(try claim(20) == [ids[0]])
        try store.recordAttempt(deliveryId: ids[0], attempt: AttemptRecord(startedAt: t0, outcome: "ok"),
                                newState: "done", nextAttemptAt: nil, externalId: nil, lastError: nil, result: nil,
                                now: t0.addingTimeInterval(21))
        #expect(try claim(30) == [ids[1]])
        // A waiting delivery that is superseded does not hold the queue up either.
        let update = try store.admitNow(record("n5", eventId: "e3")).id
        let replacement = try store.plan(inboxId: update, state: "planned",
                                         deliveries: [delivery("a3-update", target: "A")], now: t0.addingTimeInterval(31))
        #expect(try store.delivery(id: ids[2])?.state == "superseded")
        try store.recordAttempt(deliveryId: ids[1], attempt: AttemptRecord(startedAt: t0, outcome: "ok"),
                                newState: "done", nextAttemptAt: nil, externalId: nil, lastError: nil, result: nil,
                                now: t0.addingTimeInterval(32))
        #expect(try claim(40) == [ids[3]])
        try store.recordAttempt(deliveryId: ids[3], attempt: AttemptRecord(startedAt: t0, outcome: "ok"),
                                newState: "done", nextAttemptAt: nil, externalId: nil, lastError: nil, result: nil,
                                now: t0.addingTimeInterval(41))
        #expect(try claim(50) == replacement)
    }

    @Test func anExpiredClaimIsOfferedAgain() throws {
        let temp = TemporaryStore()
        let store = try temp.open { $0.claimLeaseSeconds = 60 }
        defer { store.close() }
        let inbox = try store.admitNow(record("n1", eventId: "e1")).id
        let ids = try store.plan(inboxId: inbox, state: "planned", deliveries: [delivery("a")], now: t0)
        #expect(try store.claimDueDeliveries(now: t0, limit: 10).map(\.id) == ids)
        #expect(try store.claimDueDeliveries(now: t0.addingTimeInterval(59), limit: 10).isEmpty)
        #expect(try store.claimDueDeliveries(now: t0.addingTimeInterval(60), limit: 10).map(\.id) == ids)
    }

    @Test func trackerClaimsSentDeliveries() throws {
        let temp = TemporaryStore()
        let store = try temp.open()
        defer { store.close() }
        let inbox = try store.admitNow(record("n1", eventId: "e1")).id
        let ids = try store.plan(inboxId: inbox, state: "planned", deliveries: [delivery("a")], now: t0)
        _ = try store.claimDueDeliveries(now: t0, limit: 10)
        try store.recordAttempt(deliveryId: ids[0], attempt: AttemptRecord(startedAt: t0, outcome: "queued"),
                                newState: "sent", nextAttemptAt: t0.addingTimeInterval(5), externalId: "i-9",
                                lastError: nil, result: nil, now: t0)
        #expect(try store.claimDueDeliveries(now: t0.addingTimeInterval(5), limit: 10).isEmpty)
        let polled = try store.claimDueDeliveries(now: t0.addingTimeInterval(5), limit: 10, state: "sent")
        #expect(polled.map(\.externalId) == ["i-9"])
        try store.updateDelivery(deliveryId: ids[0], newState: "done", nextAttemptAt: nil, externalId: nil,
                                 lastError: nil, result: "{\"state\":\"Completed\"}", now: t0.addingTimeInterval(6))
        let row = try #require(try store.delivery(id: ids[0]))
        #expect(row.state == "done")
        #expect(row.attempts == 1)
        #expect(row.externalId == "i-9")
        #expect(throws: StoreError.notFound) {
            try store.updateDelivery(deliveryId: 999, newState: "done", nextAttemptAt: nil, externalId: nil,
                                     lastError: nil, result: nil)
        }
        #expect(throws: StoreError.notFound) {
            try store.recordAttempt(deliveryId: 999, attempt: AttemptRecord(startedAt: t0, outcome: "ok"),
                                    newState: "done", nextAttemptAt: nil, externalId: nil, lastError: nil, result: nil)
        }
        #expect(try store.attempts(deliveryId: 999).isEmpty)
    }

    @Test func retryBringsBackFailedAndDead() throws {
        let temp = TemporaryStore()
        let store = try temp.open()
        defer { store.close() }
        let inbox = try store.admitNow(record("n1", eventId: "e1")).id
        let ids = try store.plan(inboxId: inbox, state: "planned",
                                 deliveries: [delivery("a", target: "A"), delivery("b", target: "B")], now: t0)
        _ = try store.claimDueDeliveries(now: t0, limit: 10)
        try store.recordAttempt(deliveryId: ids[0], attempt: AttemptRecord(startedAt: t0, httpStatus: 400,
                                                                           outcome: "permanent"),
                                newState: "failed", nextAttemptAt: nil, externalId: nil, lastError: "HTTP 400",
                                result: nil, now: t0)
        #expect(try store.retry(deliveryId: ids[1], now: t0) == false)   // still pending
        #expect(try store.retry(deliveryId: ids[0], now: t0.addingTimeInterval(10)) == true)
        let row = try #require(try store.delivery(id: ids[0]))
        #expect(row.state == "pending")
        #expect(row.finalAt == nil)
        #expect(row.nextAttemptAt == t0.addingTimeInterval(10))
        #expect(try store.claimDueDeliveries(now: t0.addingTimeInterval(10), limit: 10).map(\.id) == [ids[0]])
        #expect(throws: StoreError.notFound) { try store.retry(deliveryId: 999) }
        #expect(try store.deliveries(state: "pending", limit: 10).map(\.id) == [ids[1], ids[0]])
    }
}
