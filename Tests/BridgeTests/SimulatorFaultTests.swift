import Essentials
import Foundation
import Testing
@testable import Bridge

/// The fault switches shared by every stand-in, deterministic for a seed.
@Suite struct SimulatorFaultTests {
    @Test func injectorIsDeterministicForASeed() {
        let faults = SimulatorFaults(failRate: 0.3, seed: 42, dropRate: 0.2)
        let a = FaultInjector(faults), b = FaultInjector(faults)
        let first = (0 ..< 200).map { _ in a.next() }
        let second = (0 ..< 200).map { _ in b.next() }
        #expect(first == second)
        let unavailable = first.filter { $0.answer == .unavailable }.count
        let dropped = first.filter(\.drop).count
        #expect(unavailable > 20 && unavailable < 100)
        #expect(dropped > 10 && dropped < 80)
        let other = FaultInjector(SimulatorFaults(failRate: 0.3, seed: 43, dropRate: 0.2))
        #expect((0 ..< 200).map { _ in other.next() } != first)
    }

    @Test func extremesAndRateLimit() {
        let never = FaultInjector(.none)
        #expect((0 ..< 50).allSatisfy { _ in never.next() == .init(answer: .handle, drop: false) })
        let always = FaultInjector(SimulatorFaults(failRate: 1))
        #expect((0 ..< 50).allSatisfy { _ in always.next().answer == .unavailable })
        let limited = FaultInjector(SimulatorFaults(rateLimitEvery: 3))
        #expect((1 ... 9).map { _ in limited.next().answer == .rateLimited } == [false, false, true, false, false, true, false, false, true])
    }

    @Test func rateLimitAnswers429WithRetryAfter() throws {
        let simulator = OSCPSimulator(faults: SimulatorFaults(rateLimitEvery: 2))
        try simulator.start()
        defer { simulator.stop() }
        let client = TokenClient(baseURL: simulator.baseURL, token: "sample-oscp-token")
        var statuses: [Int] = []
        for index in 0 ..< 4 {
            let response = try client.send("POST", "/oscp/fp/2.0/adjust_group_capacity_forecast", body: SimulatorSamples.forecast(),
                                           headers: [("X-Request-ID", "r\(index)")])
            statuses.append(response.status)
            if response.status == 429 { #expect(response.header("Retry-After") == "1") }
        }
        #expect(statuses == [204, 429, 204, 429])
        #expect(simulator.messages.map(\.requestId) == ["r0", "r2"])
        #expect(simulator.requests.map(\.fault) == [nil, "rate-limited", nil, "rate-limited"])
    }

    @Test func failRateIsReproducibleOverHTTP() throws {
        func statuses(seed: UInt64) throws -> [Int] {
            let simulator = GreenFluxSimulator(faults: SimulatorFaults(failRate: 0.5, seed: seed))
            try simulator.start()
            defer { simulator.stop() }
            let client = TokenClient(baseURL: simulator.baseURL, token: "sample-greenflux-token")
            return try (0 ..< 12).map { _ in
                try client.send("GET", "/api/1.0/smartcharging/capacitygroups/cg-9/capacityscenarios/datetime").status
            }
        }
        let first = try statuses(seed: 7)
        #expect(first == (try statuses(seed: 7)))
        #expect(first.contains(503) && first.contains(200))
        #expect(Set(first).isSubset(of: [200, 503]))
    }

    @Test func droppedResponseStillRecordsTheInstruction() throws {
        let simulator = SolarNetworkSimulator(faults: SimulatorFaults(dropRate: 1))
        try simulator.start()
        defer { simulator.stop() }
        let client = SignedSolarNetworkClient(baseURL: simulator.baseURL)
        #expect(throws: OutboundHTTPClient.Failure.self) {
            _ = try client.send("POST", "/solaruser/api/v1/sec/instr/add/OCPP_v16", body: SimulatorSamples.setChargingProfile())
        }
        #expect(simulator.addCount == 1)
        #expect(simulator.instructions.count == 1)
        #expect(simulator.requests.first?.fault == "dropped")
        #expect(simulator.requests.first?.status == 200)
    }

    @Test func slowResponsesStillArrive() throws {
        let simulator = SolarNetworkSimulator(faults: SimulatorFaults(slowMilliseconds: 20))
        try simulator.start()
        defer { simulator.stop() }
        let client = SignedSolarNetworkClient(baseURL: simulator.baseURL)
        #expect(try client.send("GET", "/solaruser/api/v1/sec/whoami").status == 200)
    }

    @Test func unavailableUsesEachStandInsErrorShape() throws {
        let simulator = SolarNetworkSimulator(faults: SimulatorFaults(failRate: 1))
        try simulator.start()
        defer { simulator.stop() }
        let client = SignedSolarNetworkClient(baseURL: simulator.baseURL)
        let response = try client.send("GET", "/solaruser/api/v1/sec/whoami")
        #expect(response.status == 503)
        #expect(try client.json(response)["success"]?.boolValue == false)
        #expect(simulator.addCount == 0)
    }
}
