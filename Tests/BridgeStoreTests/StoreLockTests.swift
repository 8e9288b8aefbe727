import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import BridgeStore

/// `StoreLock`: one holder per store path, refused at once for the next, free again after release.
/// Each `acquire` opens its own file description, so `flock` makes two in one process conflict just as
/// two processes would.
@Suite struct StoreLockTests {
    @Test func aSecondLockOnTheSameStoreFailsUntilTheFirstIsReleased() throws {
        let temp = TemporaryStore()
        let first = try StoreLock.acquire(storePath: temp.path)
        #expect(first.path == temp.path + ".lock")
        #expect(first.isHeld)

        let refusal = #expect(throws: StoreLockError.self) { try StoreLock.acquire(storePath: temp.path) }
        #expect(refusal == .held(storePath: temp.path, ownerPid: getpid()))
        #expect(refusal?.description == "another ecbridge serve (pid \(getpid())) is using the store at \(temp.path)")

        first.release()
        #expect(!first.isHeld)
        first.release()  // idempotent
        let second = try StoreLock.acquire(storePath: temp.path)
        #expect(second.isHeld)
        second.release()
    }

    @Test func theLockFileIsPrivateAndNamesItsHolder() throws {
        let temp = TemporaryStore()
        let lock = try StoreLock.acquire(storePath: temp.path)
        defer { lock.release() }
        let attributes = try FileManager.default.attributesOfItem(atPath: lock.path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let content = try String(contentsOfFile: lock.path, encoding: .utf8)
        #expect(content == "\(getpid())\n")
    }

    @Test func locksOfDifferentStoresAreIndependent() throws {
        let one = TemporaryStore()
        let two = TemporaryStore()
        let first = try StoreLock.acquire(storePath: one.path)
        defer { first.release() }
        let second = try StoreLock.acquire(storePath: two.path)
        second.release()
    }

    @Test func droppingTheLockObjectReleasesIt() throws {
        let temp = TemporaryStore()
        func holdBriefly() throws {
            let lock = try StoreLock.acquire(storePath: temp.path)
            #expect(lock.isHeld)
        }
        try holdBriefly()
        let again = try StoreLock.acquire(storePath: temp.path)
        again.release()
    }

    @Test func anUnusableLockPathIsReportedAsSuch() throws {
        let temp = TemporaryStore()
        // The lock file's place is taken by a directory.
        try FileManager.default.createDirectory(atPath: StoreLock.lockPath(forStore: temp.path),
                                                withIntermediateDirectories: true)
        let error = #expect(throws: StoreLockError.self) { try StoreLock.acquire(storePath: temp.path) }
        guard case .unavailable(let path, _) = error else {
            Issue.record("expected .unavailable, got \(String(describing: error))")
            return
        }
        #expect(path == temp.path + ".lock")
    }
}
