import Foundation
import Testing
@testable import BridgeStore

@Suite struct QuarantineRetentionTests {
    @Test func keepsOnlyTheNewestRowsOfAReason() throws {
        let temporary = TemporaryStore()
        let store = try temporary.open()
        defer { store.close() }
        _ = try store.quarantineNow(QuarantineRecord(reason: "undecodable: x", rawBody: [1]))
        let done = DispatchSemaphore(value: 0)
        for index in 0..<5 {
            store.quarantine(QuarantineRecord(reason: "unauthenticated: signatureMismatch", rawBody: [UInt8(index)]),
                             retainingAtMost: 2, ofReasonPrefix: "unauthenticated: ") { _ in done.signal() }
        }
        for _ in 0..<5 { done.wait() }
        let rows = try store.quarantineList(limit: 10)
        #expect(rows.count == 3)
        #expect(rows.filter { $0.reason.hasPrefix("unauthenticated: ") }.map(\.rawBody) == [[4], [3]])
        #expect(rows.contains { $0.reason == "undecodable: x" })
        #expect(store.isWritable)
        store.close()
        #expect(!store.isWritable)
    }
}
