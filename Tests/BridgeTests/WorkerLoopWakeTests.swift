import Dispatch
#if canImport(Glibc)
import Glibc
#endif
import Synchronization
import Testing
@testable import Bridge

/// Wakes coalesce: a burst of `wake()` calls while a pass runs buys one more pass, not one per call.
struct WorkerLoopWakeTests {
    final class Probe: Sendable {
        let passes = Atomic<Int>(0)
        let entered = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
    }

    @Test func aBurstOfWakesDuringAPassCostsOneMorePass() {
        let probe = Probe()
        let loop = WorkerLoop(name: "test-wakes", interval: 60) {
            let count = probe.passes.add(1, ordering: .relaxed).newValue
            if count == 2 {  // hold the second pass (the first runs at start) until the burst is in
                probe.entered.signal()
                probe.release.wait()
            }
            return 0
        }
        loop.start()
        loop.wake()  // the first pass may already be over: this makes the second one
        probe.entered.wait()
        for _ in 0 ..< 1_000 { loop.wake() }
        probe.release.signal()
        // Let the loop settle, then stop it (stop waits for the thread).
        usleep(200_000)
        loop.stop()
        let passes = probe.passes.load(ordering: .relaxed)
        #expect(passes >= 3, "the burst must still cause a pass after the held one")
        #expect(passes <= 4, "1,000 wakes during one pass must not buy 1,000 passes (got \(passes))")
    }

    @Test func aWakeWhileIdleRunsAPassPromptly() {
        let probe = Probe()
        let loop = WorkerLoop(name: "test-wake-idle", interval: 60) {
            probe.passes.add(1, ordering: .relaxed)
            probe.entered.signal()
            return 0
        }
        loop.start()
        probe.entered.wait()  // the start-up pass
        usleep(50_000)
        loop.wake()
        #expect(probe.entered.wait(timeout: .now() + 5) == .success)
        loop.stop()
    }
}
