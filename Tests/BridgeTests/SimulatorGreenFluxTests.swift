import Essentials
import Foundation
import Testing
@testable import Bridge

/// The GreenFlux capacity-scenario stand-in: Token auth, validation, PUT replaces, GET reads.
@Suite struct SimulatorGreenFluxTests {
    static let path = "/api/1.0/smartcharging/capacitygroups/cg-9/capacityscenarios/datetime"

    func withSimulator(_ body: (GreenFluxSimulator, TokenClient) throws -> Void) throws {
        let simulator = GreenFluxSimulator()
        try simulator.start()
        defer { simulator.stop() }
        try body(simulator, TokenClient(baseURL: simulator.baseURL, token: "sample-greenflux-token"))
    }

    @Test func putReplacesAndGetReads() throws {
        try withSimulator { simulator, client throws in
            let empty = try client.send("GET", Self.path)
            #expect(empty.status == 200)
            #expect(try JSON.parse(empty.body) == .array([]))
            let first = "[{\"capacity\":10,\"start_date_time\":\"2024-01-01T16:00:00Z\",\"end_date_time\":\"2024-01-01T18:00:00Z\"},"
                + "{\"capacity\":16.5,\"start_date_time\":\"2024-01-02T16:00:00Z\",\"end_date_time\":\"2024-01-02T18:00:00Z\"}]"
            #expect(try client.send("PUT", Self.path, body: first).status == 200)
            let second = "[{\"capacity\":6,\"start_date_time\":\"2024-01-03T16:00:00Z\",\"end_date_time\":\"2024-01-03T18:00:00Z\"}]"
            #expect(try client.send("PUT", Self.path, body: second).status == 200)
            let read = try JSON.parse(try client.send("GET", Self.path).body)
            #expect(read == (try JSON.parse(second)))
            #expect(simulator.scenarios(capacityGroupId: "cg-9") == read)
            #expect(simulator.updates.count == 2)
        }
    }

    @Test func authenticationAndUnknownGroup() throws {
        try withSimulator { simulator, client throws in
            var anonymous = client
            anonymous.token = nil
            #expect(try anonymous.send("GET", Self.path).status == 401)
            var stranger = client
            stranger.token = "nope"
            #expect(try stranger.send("GET", Self.path).status == 403)
            #expect(try client.send("GET", "/api/1.0/smartcharging/capacitygroups/cg-1/capacityscenarios/datetime").status == 404)
            #expect(try client.send("GET", "/api/1.0/smartcharging/capacitygroups/cg-9/capacityscenarios/dayofweek").status == 404)
            #expect(try client.send("DELETE", Self.path).status == 405)
            #expect(simulator.updates.isEmpty)
        }
    }

    @Test(arguments: [
        ("{}", "$: must be an array of capacity scenarios"),
        ("[{\"start_date_time\":\"2024-01-01T16:00:00Z\",\"end_date_time\":\"2024-01-01T18:00:00Z\"}]", "$[0].capacity: required number"),
        ("[{\"capacity\":-1,\"start_date_time\":\"2024-01-01T16:00:00Z\",\"end_date_time\":\"2024-01-01T18:00:00Z\"}]", "$[0].capacity: must be >= 0"),
        ("[{\"capacity\":1,\"start_date_time\":\"tomorrow\",\"end_date_time\":\"2024-01-01T18:00:00Z\"}]", "$[0].start_date_time: required RFC 3339 date-time"),
        ("[{\"capacity\":1,\"start_date_time\":\"2024-01-01T18:00:00Z\",\"end_date_time\":\"2024-01-01T18:00:00Z\"}]", "$[0]: start_date_time must be before end_date_time"),
    ])
    func invalidScenariosAre400(_ body: String, _ message: String) throws {
        try withSimulator { simulator, client throws in
            let response = try client.send("PUT", Self.path, body: body)
            #expect(response.status == 400)
            #expect(try JSON.parse(response.body)["message"]?.stringValue == message)
            #expect(simulator.updates.isEmpty)
        }
    }
}
