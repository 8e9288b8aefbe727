import CSQLite
import Foundation
import Testing
@testable import BridgeStore

/// The SQLite wrapper itself: lent (not copied) text and blob parameters, and the statement cache.
@Suite struct DatabaseTests {
    func open() throws -> (TemporaryStore, Database) {
        let temp = TemporaryStore()
        try FileManager.default.createDirectory(atPath: (temp.path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        let db = try Database(path: temp.path, flags: SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, busyTimeoutMs: 1000)
        try db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, s TEXT, b BLOB)")
        return (temp, db)
    }

    @Test func textAndBlobParametersArriveIntactIncludingEmptyOnes() throws {
        let (temp, db) = try open()
        defer { db.close(); _ = temp }
        let long = String(repeating: "æøå ✓ ", count: 500)
        let values: [(String?, [UInt8])] = [("", []), (long, Array(0...255)), ("a", [0]), (nil, [1, 2, 3])]
        for (text, blob) in values {
            try db.run("INSERT INTO t (s, b) VALUES (?, ?)", [text, blob])
        }
        let rows = try db.query("SELECT s, b, typeof(s), typeof(b) FROM t ORDER BY id") {
            ($0.string(0), $0.bytes(1), $0.string(2), $0.string(3))
        }
        #expect(rows.map(\.0) == ["", long, "a", nil])
        #expect(rows.map(\.1) == [[], Array(0...255), [0], [1, 2, 3]])
        // An empty text stays text and an empty blob stays a blob, neither becomes NULL.
        #expect(rows[0].2 == "text")
        #expect(rows[0].3 == "blob")
    }

    @Test func aStatementIsReusedForTheSameTextAndRebindsEveryTime() throws {
        let (temp, db) = try open()
        defer { db.close(); _ = temp }
        let insert = "INSERT INTO t (s) VALUES (?)"
        for index in 0..<300 {
            try db.run(insert, ["row \(index)"])
            // Texts built per call: the same SQL at a new address each time.
            #expect(try db.queryFirst("SELECT s FROM t WHERE id = \(index + 1)") { $0.string(0) } == "row \(index)")
        }
        #expect(try db.queryFirst("SELECT count(*) FROM t") { $0.int(0) } == 300)
    }
}
