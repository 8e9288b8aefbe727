import Essentials
import HTTPServer
import Testing
@testable import Bridge

/// The `planner` section, `store.pageSize`, and the defaults that decide how the planner shares a core.
@Suite struct PlannerSettingsTests {
    @Test func defaults() {
        let configuration = BridgeConfiguration()
        #expect(configuration.planner.niceness == 10)
        #expect(configuration.planner.batchSize == 32)
        #expect(configuration.store.pageSize == 16_384)
        #expect(configuration.store.storeOptions.pageSize == 16_384)
    }

    @Test func readsAndValidatesThePlannerSection() throws {
        let configured = try BridgeConfiguration(json: JSON.parse(#"{"planner":{"niceness":0,"batchSize":128}}"#))
        #expect(configured.planner.niceness == 0)
        #expect(configured.planner.batchSize == 128)
        for bad in [#"{"planner":{"niceness":20}}"#, #"{"planner":{"niceness":-1}}"#,
                    #"{"planner":{"batchSize":0}}"#, #"{"planner":{"batchsize":8}}"#] {
            #expect(throws: ConfigError.self, "\(bad)") { try BridgeConfiguration(json: JSON.parse(bad)) }
        }
    }

    @Test func pageSizeMustBeAPowerOfTwo() throws {
        let configured = try BridgeConfiguration(json: JSON.parse(#"{"store":{"pageSize":4096}}"#))
        #expect(configured.store.storeOptions.pageSize == 4096)
        do {
            _ = try BridgeConfiguration(json: JSON.parse(#"{"store":{"pageSize":5000}}"#))
            Issue.record("5000 was accepted")
        } catch let error as ConfigError {
            #expect(error.path == "store.pageSize")
        }
        #expect(throws: ConfigError.self) { try BridgeConfiguration(json: JSON.parse(#"{"store":{"pageSize":131072}}"#)) }
    }

    @Test func workerLoopLowersOnlyItsOwnThread() async throws {
        let before = ThreadPriority.currentThreadNiceness()
        let seen = AsyncStream<Int32>.makeStream()
        let loop = WorkerLoop(name: "test-niceness", interval: 60, niceness: 5) {
            seen.continuation.yield(ThreadPriority.currentThreadNiceness())
            seen.continuation.finish()
            return 0
        }
        loop.start()
        var inLoop: Int32?
        for await value in seen.stream { inLoop = value }
        loop.stop()
        #expect(inLoop == min(19, before + 5))
        #expect(ThreadPriority.currentThreadNiceness() == before)
    }

    @Test func eventLoopsDefaultToTheCPUsTheProcessMayUse() {
        let available = HTTPServerConfiguration.availableProcessors
        #expect(available >= 1)
        #expect(HTTPServerConfiguration().eventLoopCount == available)
    }
}
