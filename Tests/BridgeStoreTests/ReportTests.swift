import Foundation
import Testing
@testable import BridgeStore

@Suite struct ReportTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func reportsFollowFinalDeliveries() throws {
        let temp = TemporaryStore()
        let store = try temp.open { $0.claimLeaseSeconds = 30 }
        defer { store.close() }
        let inbox = try store.admitNow(record("n1", eventId: "e1")).id
        let ids = try store.plan(inboxId: inbox, state: "planned", deliveries: [
            NewDelivery(targetKey: "A", channel: "oscp", idempotencyKey: "a", requestJSON: "{}"),
            NewDelivery(targetKey: "B", channel: "oscp", idempotencyKey: "b", requestJSON: "{}"),
        ], now: t0)
        #expect(try store.inboxAwaitingReport(limit: 10).isEmpty)
        for id in ids {
            try store.updateDelivery(deliveryId: id, newState: "done", nextAttemptAt: nil, externalId: nil,
                                     lastError: nil, result: nil, now: t0)
        }
        #expect(try store.inboxAwaitingReport(limit: 10).map(\.id) == [inbox])
        #expect(try store.deliveries(inboxId: inbox).map(\.id) == ids)

        let report = NewReport(inboxId: inbox, eventId: "e1", operation: "Create", idempotencyKey: "r-1",
                               requestJSON: "{\"r\":1}")
        let reportId = try store.enqueueReport(report, now: t0)
        #expect(try store.enqueueReport(report, now: t0) == reportId)
        #expect(try store.inboxAwaitingReport(limit: 10).isEmpty)

        #expect(try store.claimDueReports(now: t0, limit: 10).map(\.id) == [reportId])
        #expect(try store.claimDueReports(now: t0.addingTimeInterval(1), limit: 10).isEmpty)
        try store.recordReportAttempt(reportId: reportId, newState: "pending", nextAttemptAt: t0.addingTimeInterval(5),
                                      lastError: "HTTP 502", now: t0)
        #expect(try store.claimDueReports(now: t0.addingTimeInterval(4), limit: 10).isEmpty)
        #expect(try store.claimDueReports(now: t0.addingTimeInterval(5), limit: 10).map(\.id) == [reportId])
        try store.recordReportAttempt(reportId: reportId, newState: "done", nextAttemptAt: nil, lastError: nil, now: t0)
        let row = try #require(try store.report(id: reportId))
        #expect(row.state == "done")
        #expect(row.attempts == 2)
        #expect(row.inboxId == inbox)
        #expect(try store.reports(state: "done", limit: 10).map(\.id) == [reportId])
        #expect(try store.counts().reports == ["done": 1])
        #expect(throws: StoreError.notFound) {
            try store.recordReportAttempt(reportId: 99, newState: "done", nextAttemptAt: nil, lastError: nil)
        }
    }
}

@Suite struct ReportWithoutDeliveriesTests {
    @Test func rowsWithoutDeliveriesAreOfferedOnRequestAndCanBeClosed() throws {
        let temporary = TemporaryStore()
        let store = try temporary.open()
        defer { store.close() }
        guard case let .stored(inbox, _) = try store.admitNow(record("k1", eventId: "e1", operation: "Create")) else {
            Issue.record("not stored")
            return
        }
        _ = try store.plan(inboxId: inbox, state: "planned", deliveries: [])
        #expect(try store.inboxAwaitingReport(limit: 10).isEmpty)
        #expect(try store.inboxAwaitingReport(limit: 10, includingUndelivered: true).map(\.id) == [inbox])
        try store.recordNoReport(inboxId: inbox, eventId: "e1", operation: "Create", reason: "nothing to report")
        try store.recordNoReport(inboxId: inbox, eventId: "e1", operation: "Create", reason: "again")
        #expect(try store.inboxAwaitingReport(limit: 10, includingUndelivered: true).isEmpty)
        #expect(try store.reports(limit: 10).map(\.state) == ["not-needed"])
        #expect(try store.claimDueReports(now: Date(), limit: 10).isEmpty)
    }
}
