import Dispatch
import Essentials
import FoundationEssentials
import Synchronization

/// A named background thread that runs `pass` over and over: again at once while a pass finds work, else
/// after `interval` seconds or as soon as `wake()` is called. `stop()` lets the current pass finish and
/// waits for the thread, so a worker never stops halfway through a step.
///
/// Why one type: the planner, delivery workers, tracker, reporter and sync worker all need exactly this,
/// and shutdown ordering (`BridgeRuntime.stop`) relies on each `stop()` returning only when it is idle.
final class WorkerLoop: Sendable {
    private let name: String
    private let interval: Double
    private let pass: @Sendable () -> Int
    /// Several loops may share one signal (a pool): `wake()` then wakes one idle member.
    private let wakeup: WakeSignal
    private let running = Atomic<Bool>(true)
    private let finished = DispatchSemaphore(value: 0)
    /// Niceness added to the thread (0 = unchanged); background work yields the CPU to the intake.
    private let niceness: Int32

    /// `pass` returns how much work it did; 0 means "nothing to do, wait".
    init(name: String, interval: Double, wakeup: WakeSignal = WakeSignal(),
         niceness: Int = 0, pass: @escaping @Sendable () -> Int) {
        self.name = name
        self.niceness = Int32(clamping: niceness)
        self.interval = interval
        self.wakeup = wakeup
        self.pass = pass
    }

    func start() {
        DetachedThread.start(name: name) { [self] in
            if niceness > 0 { ThreadPriority.lowerCurrentThread(by: niceness) }
            while running.load(ordering: .acquiring) {
                wakeup.consume()
                if pass() == 0 {
                    wakeup.wait(timeout: interval)
                }
            }
            finished.signal()
        }
    }

    func wake() { wakeup.wake() }

    func stop() { Self.stop([self]) }

    /// Stops several loops together (they may share a semaphore): ask all, wake all, then wait for all.
    static func stop(_ loops: [WorkerLoop]) {
        for loop in loops { loop.running.store(false, ordering: .releasing) }
        for loop in loops { loop.wakeup.interrupt() }
        for loop in loops { loop.finished.wait() }
    }
}
