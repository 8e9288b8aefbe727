import Essentials
import Foundation
import Testing
@testable import Bridge

/// The OSCP 2.0 stand-in: Token auth, X-Request-ID, schema checks, 204, de-duplication.
@Suite struct SimulatorOSCPTests {
    func withSimulator(_ settings: OSCPSimulator.Settings = OSCPSimulator.Settings(),
                       _ body: (OSCPSimulator, TokenClient) throws -> Void) throws {
        let simulator = OSCPSimulator(settings: settings)
        try simulator.start()
        defer { simulator.stop() }
        try body(simulator, TokenClient(baseURL: simulator.baseURL, token: "sample-oscp-token"))
    }

    @Test func acceptedForecastIs204WithEmptyBody() throws {
        try withSimulator { simulator, client throws in
            let response = try client.send("POST", "/oscp/fp/2.0/adjust_group_capacity_forecast",
                                           body: SimulatorSamples.forecast(group: "site-7"),
                                           headers: [("X-Request-ID", "req-1"), ("X-Correlation-ID", "corr-1")])
            #expect(response.status == 204)
            #expect(response.body.isEmpty)
            let update = try client.send("POST", "/any/prefix/update_group_capacity_forecast",
                                         body: SimulatorSamples.forecast(group: "site-7"), headers: [("X-Request-ID", "req-2")])
            #expect(update.status == 204)
            #expect(simulator.messages.map(\.action) == ["AdjustGroupCapacityForecast", "UpdateGroupCapacityForecast"])
            #expect(simulator.messages.first?.groupId == "site-7")
            #expect(simulator.messages.first?.correlationId == "corr-1")
            #expect(simulator.messages.first?.body["forecasted_blocks"]?.arrayValue?.first?["unit"]?.stringValue == "KW")
        }
    }

    @Test func repeatedRequestIdIsRecordedOnce() throws {
        try withSimulator { simulator, client throws in
            for _ in 0 ..< 3 {
                let response = try client.send("POST", "/oscp/fp/2.0/adjust_group_capacity_forecast", body: SimulatorSamples.forecast(),
                                               headers: [("X-Request-ID", "same")])
                #expect(response.status == 204)
            }
            #expect(simulator.messages.count == 1)
            #expect(simulator.duplicateRequestIds == ["same", "same"])
        }
    }

    @Test func authenticationAndRequestId() throws {
        try withSimulator { simulator, client throws in
            var anonymous = client
            anonymous.token = nil
            let path = "/oscp/fp/2.0/adjust_group_capacity_forecast"
            #expect(try anonymous.send("POST", path, body: SimulatorSamples.forecast(), headers: [("X-Request-ID", "a")]).status == 401)
            var stranger = client
            stranger.token = "not-it"
            let refused = try stranger.send("POST", path, body: SimulatorSamples.forecast(), headers: [("X-Request-ID", "b")])
            #expect(refused.status == 403)
            #expect(try JSON.parse(refused.body)["message"]?.stringValue == "Unknown token")
            let noId = try client.send("POST", path, body: SimulatorSamples.forecast())
            #expect(noId.status == 400)
            #expect(try JSON.parse(noId.body)["message"]?.stringValue == "Missing X-Request-ID header")
            #expect(try client.send("POST", "/oscp/fp/2.0/heartbeat", body: "{}", headers: [("X-Request-ID", "c")]).status == 404)
            #expect(try client.send("GET", path, headers: [("X-Request-ID", "d")]).status == 405)
            #expect(simulator.messages.isEmpty)
        }
    }

    @Test(arguments: [
        (SimulatorSamples.forecast(unit: "kW"), "$.forecasted_blocks[0].unit: must be one of A, W, KW, WH, KWH"),
        (SimulatorSamples.forecast(capacity: "-1"), "$.forecasted_blocks[0].capacity: must be >= 0"),
        (SimulatorSamples.forecast(start: "2024-01-01 16:00:00Z"), "$.forecasted_blocks[0].start_time: not an RFC 3339 date-time"),
        (SimulatorSamples.forecast(end: "2024-01-01T16:00:00Z"), "$.forecasted_blocks[0]: start_time must be before end_time"),
        ("{\"group_id\":\"g\",\"type\":\"CONSUMPTION\",\"forecasted_blocks\":[]}", "$.forecasted_blocks: must have at least 1 item"),
        ("{\"group_id\":\"g\",\"type\":\"consumption\",\"forecasted_blocks\":[]}", "$.type: must be one of CONSUMPTION, GENERATION, FALLBACK_CONSUMPTION, FALLBACK_GENERATION, OPTIMUM"),
        ("{\"type\":\"CONSUMPTION\"}", "$.group_id: required non-empty string"),
    ])
    func schemaViolationsAre400(_ body: String, _ message: String) throws {
        try withSimulator { simulator, client throws in
            let response = try client.send("POST", "/oscp/fp/2.0/adjust_group_capacity_forecast", body: body,
                                           headers: [("X-Request-ID", "x")])
            #expect(response.status == 400)
            #expect(try JSON.parse(response.body)["message"]?.stringValue == message)
            #expect(simulator.messages.isEmpty)
        }
    }

    @Test func knownGroupsCanBeRestricted() throws {
        try withSimulator(OSCPSimulator.Settings(groupIds: ["site-7"])) { _, client throws in
            let path = "/oscp/fp/2.0/adjust_group_capacity_forecast"
            #expect(try client.send("POST", path, body: SimulatorSamples.forecast(group: "site-8"), headers: [("X-Request-ID", "1")]).status == 400)
            #expect(try client.send("POST", path, body: SimulatorSamples.forecast(group: "site-7"), headers: [("X-Request-ID", "2")]).status == 204)
        }
    }
}
