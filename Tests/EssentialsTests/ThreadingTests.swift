import Foundation
import Testing
@testable import Essentials

@Suite struct ThreadingTests {
    /// The closure runs on its own thread, which carries the name (cut to the 15 bytes Linux keeps).
    @Test func detachedThreadRunsTheClosureUnderItsName() {
        final class Seen: @unchecked Sendable {
            let condition = MutexCondition()
            var done = false
            var name = ""
            var sameThread = true
        }
        let seen = Seen()
        let caller = pthread_self()
        DetachedThread.start(name: "ecbridge-test-thread-name") {
            // The calling thread's name as Linux shows it (with a newline).
            let name = (try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? "?"
            seen.condition.lock()
            seen.name = name
            seen.sameThread = pthread_equal(caller, pthread_self()) != 0
            seen.done = true
            seen.condition.signal()
            seen.condition.unlock()
        }
        seen.condition.lock()
        while !seen.done { seen.condition.wait() }
        seen.condition.unlock()
        #expect(!seen.sameThread)
        #if os(Linux)
        #expect(seen.name == "ecbridge-test-t\n")
        #endif
    }

    /// Producers and a consumer hand values over through the condition without losing any.
    @Test func mutexConditionHandsOverEveryValue() {
        final class Queue: @unchecked Sendable {
            let condition = MutexCondition()
            var items: [Int] = []
            var finishedProducers = 0
        }
        let queue = Queue()
        let producers = 4, perProducer = 2_000
        for producer in 0 ..< producers {
            DetachedThread.start(name: "producer") {
                for index in 0 ..< perProducer {
                    queue.condition.lock()
                    queue.items.append(producer * perProducer + index)
                    queue.condition.signal()
                    queue.condition.unlock()
                }
                queue.condition.lock()
                queue.finishedProducers += 1
                queue.condition.broadcast()
                queue.condition.unlock()
            }
        }
        var received: [Int] = []
        queue.condition.lock()
        while queue.finishedProducers < producers || !queue.items.isEmpty {
            if queue.items.isEmpty {
                queue.condition.wait()
            } else {
                received += queue.items
                queue.items.removeAll()
            }
        }
        queue.condition.unlock()
        #expect(received.sorted() == Array(0 ..< producers * perProducer))
    }
}
