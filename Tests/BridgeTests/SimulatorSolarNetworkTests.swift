import Essentials
import Foundation
import SolarNetwork
import Testing
@testable import Bridge

/// The SolarNetwork stand-in on port 0, driven by OutboundHTTPClient + SNWS2Signer.
@Suite struct SimulatorSolarNetworkTests {
    func withSimulator(_ settings: SolarNetworkSimulatorSettings = SolarNetworkSimulatorSettings(),
                       faults: SimulatorFaults = .none,
                       _ body: (SolarNetworkSimulator, SignedSolarNetworkClient) throws -> Void) throws {
        let simulator = SolarNetworkSimulator(settings: settings, faults: faults)
        try simulator.start()
        defer { simulator.stop() }
        try body(simulator, SignedSolarNetworkClient(baseURL: simulator.baseURL))
    }

    // MARK: OCPP

    @Test func ocppInstructionProgressesToCompleted() throws {
        try withSimulator { simulator, client throws in
            let queued = try client.add("OCPP_v16", SimulatorSamples.setChargingProfile())
            #expect(queued.id == 1)
            #expect(queued.state == .queued)
            #expect(queued.topic == "OCPP_v16")
            #expect(queued.parameter("chargePointId") == "5")
            #expect(try client.view(queued.id).state == .received)
            #expect(try client.view(queued.id).state == .executing)
            let done = try client.view(queued.id)
            #expect(done.state == .completed)
            #expect(done.result("status") == "Accepted")
            #expect(try client.view(queued.id).state == .completed)

            #expect(simulator.addCount == 1)
            let recorded = try #require(simulator.instructions.first)
            #expect(recorded.parameter("action") == "SetChargingProfile")
            #expect(recorded.parameter("msg")?.contains("\"limit\":10.0") == true)
            let second = try client.add("OCPP_v16", SimulatorSamples.setChargingProfile())
            #expect(second.id == 2)
        }
    }

    @Test func timestampsUseTheSpaceForm() throws {
        try withSimulator { _, client throws in
            let response = try client.send("POST", "/solaruser/api/v1/sec/instr/add/OCPP_v16", body: SimulatorSamples.setChargingProfile())
            let created = try #require(try client.json(response)["data"]?["created"]?.stringValue)
            #expect(created.dropFirst(10).first == " ")
            #expect(created.hasSuffix("Z"))
        }
    }

    @Test func rejectingChargerCompletesWithRejected() throws {
        var settings = SolarNetworkSimulatorSettings()
        settings.chargers = [.init(id: 5, nodeId: 123, identifier: "CP-5", resultStatus: "Rejected")]
        settings.pollsPerStep = 2
        try withSimulator(settings) { _, client throws in
            let id = try client.add("OCPP_v16", SimulatorSamples.setChargingProfile()).id
            var states: [InstructionState] = []
            for _ in 0 ..< 6 { states.append(try client.view(id).state) }
            #expect(states == [.queued, .received, .received, .executing, .executing, .completed])
            #expect(try client.view(id).result("status") == "Rejected")
        }
    }

    @Test func unknownChargerIsDeclinedAtQueueTime() throws {
        try withSimulator { _, client throws in
            let declined = try client.add("OCPP_v16", SimulatorSamples.setChargingProfile(chargePointId: "9"))
            #expect(declined.state == .declined)
            #expect(declined.result("error") == "ChargePoint not specified or not available.")
        }
    }

    @Test func limitWithTwoFractionDigitsIsDeclined() throws {
        try withSimulator { _, client throws in
            let declined = try client.add("OCPP_v16", SimulatorSamples.setChargingProfile(limit: "10.05"))
            #expect(declined.state == .declined)
            let error = try #require(declined.result("error"))
            #expect(error.hasPrefix("Error decoding OCPP action message: "))
            #expect(error.contains("multiple of 0.1"))
            #expect(try client.add("OCPP_v16", SimulatorSamples.setChargingProfile(limit: "16")).state == .queued)
        }
    }

    @Test func missingActionAndBadMessageAreDeclined() throws {
        try withSimulator { _, client throws in
            let noAction = try client.add("OCPP_v16", "{\"nodeId\":123,\"params\":{\"chargePointId\":\"5\"}}")
            #expect(noAction.result("error") == "OCPP action parameter missing.")
            let badMsg = try client.add("OCPP_v16", "{\"nodeId\":\"123\",\"params\":[{\"name\":\"action\",\"value\":\"SetChargingProfile\"},"
                + "{\"name\":\"chargePointId\",\"value\":\"5\"},{\"name\":\"msg\",\"value\":\"{not json\"}]}")
            #expect(badMsg.state == .declined)
            #expect(badMsg.result("error")?.hasPrefix("Error decoding OCPP action message:") == true)
            let missingKey = try client.add("OCPP_v16", "{\"nodeId\":123,\"params\":{\"action\":\"SetChargingProfile\",\"chargePointId\":\"5\","
                + "\"msg\":\"{\\\"connectorId\\\":1}\"}}")
            #expect(missingKey.result("error") == "Error decoding OCPP action message: $.csChargingProfiles: required object")
        }
    }

    @Test func declinedSwitchDeclinesEveryOCPPInstruction() throws {
        try withSimulator(faults: SimulatorFaults(declined: true)) { _, client throws in
            let declined = try client.add("OCPP_v16", SimulatorSamples.setChargingProfile())
            #expect(declined.state == .declined)
            #expect(declined.result("error")?.contains("SetChargingProfile") == true)
        }
    }

    @Test func execAnswersTheFinalState() throws {
        try withSimulator { _, client throws in
            let response = try client.send("POST", "/solaruser/api/v1/sec/instr/exec/OCPP_v16", body: SimulatorSamples.setChargingProfile())
            let instruction = try NodeInstruction(json: try #require(try SolarNetworkResult.decode(response.body).data))
            #expect(instruction.state == .completed)
        }
    }

    @Test func longMessageComesBackSplitAndJoins() throws {
        try withSimulator { simulator, client throws in
            let body = SimulatorSamples.setChargingProfile()
            let instruction = try client.add("OCPP_v16", body)
            let msgs = instruction.parameters.filter { $0.name == "msg" }
            #expect(msgs.count == 2)
            #expect(instruction.parameter("msg") == simulator.instructions.first?.parameter("msg"))
        }
    }

    // MARK: OSCP

    @Test func oscpInstructionProgressesToCompleted() throws {
        try withSimulator { _, client throws in
            let queued = try client.add("OSCP_v20", SimulatorSamples.oscpInstruction())
            #expect(queued.state == .queuing)
            #expect(try client.view(queued.id).state == .executing)
            let done = try client.view(queued.id)
            #expect(done.state == .completed)
            #expect(done.resultParameters == nil)
        }
    }

    @Test(arguments: [
        (SimulatorSamples.oscpInstruction(coId: .int(1)), "Missing capacity optimizer ID"),
        (SimulatorSamples.oscpInstruction(coId: .string("one")), "Invalid capacity optimizer ID"),
        (SimulatorSamples.oscpInstruction(coId: .string("2")), "Unknown capacity optimizer"),
        (SimulatorSamples.oscpInstruction(group: "bar-group"), "Unknown group identifier"),
        (SimulatorSamples.oscpInstruction(msg: SimulatorSamples.forecast(group: "other")),
         "The AdjustGroupCapacityForecast message group_identifier must match the instruction cgIdentifier parameter"),
        ("{\"nodeId\":123,\"params\":{}}", "Missing OSCP parameters"),
        ("{\"nodeId\":123,\"params\":{\"coId\":\"1\"}}", "Missing OSCP action"),
        ("{\"nodeId\":123,\"params\":{\"action\":\"AdjustGroupCapacityForecast\",\"coId\":\"1\"}}", "Missing group identifier"),
    ])
    func oscpQueueTimeChecks(_ body: String, _ expected: String) throws {
        try withSimulator { _, client throws in
            let declined = try client.add("OSCP_v20", body)
            #expect(declined.state == .declined)
            #expect(declined.result("error") == expected)
        }
    }

    @Test func oscpSchemaErrorsAndUnsupportedAction() throws {
        try withSimulator { _, client throws in
            let lower = try client.add("OSCP_v20", SimulatorSamples.oscpInstruction(msg: SimulatorSamples.forecast(unit: "kW")))
            #expect(lower.result("error")?.hasPrefix("JSON schema validation error on [AdjustGroupCapacityForecast] OSCP action: ") == true)
            let invalid = try client.add("OSCP_v20", SimulatorSamples.oscpInstruction(msg: "nope"))
            #expect(invalid.result("error")?.hasPrefix("Invalid JSON for [AdjustGroupCapacityForecast] OSCP action: ") == true)
            let update = try client.add("OSCP_v20", SimulatorSamples.oscpInstruction(action: "UpdateGroupCapacityForecast"))
            #expect(update.state == .queuing)
            _ = try client.view(update.id)
            let final = try client.view(update.id)
            #expect(final.state == .declined)
            #expect(final.result("error") == "Unsupported OSCP 2.0 action [UpdateGroupCapacityForecast]")
        }
    }

    // MARK: Request validation and listing

    @Test func bodyValidation() throws {
        try withSimulator { simulator, client throws in
            let missingNode = try client.send("POST", "/solaruser/api/v1/sec/instr/add/OCPP_v16", body: "{\"params\":{}}")
            #expect(missingNode.status == 422)
            #expect(try client.json(missingNode)["message"]?.stringValue == "The nodeId parameter is required.")
            let malformed = try client.send("POST", "/solaruser/api/v1/sec/instr/add/OCPP_v16", body: "{")
            #expect(malformed.status == 422)
            #expect(try client.json(malformed)["message"]?.stringValue?.hasPrefix("Malformed JSON") == true)
            let otherNode = try client.send("POST", "/solaruser/api/v1/sec/instr/add/OCPP_v16", body: "{\"nodeId\":999,\"params\":{}}")
            #expect(otherNode.status == 403)
            #expect(simulator.instructions.isEmpty)
            #expect(simulator.addCount == 3)
        }
    }

    @Test func listingAndPending() throws {
        try withSimulator { _, client throws in
            let first = try client.add("OCPP_v16", SimulatorSamples.setChargingProfile())
            let second = try client.add("OSCP_v20", SimulatorSamples.oscpInstruction())
            let pending = try client.json(try client.send("GET", "/solaruser/api/v1/sec/instr/viewPending?nodeId=123"))
            // Read once: the OCPP one is Received (pending); the OSCP one is Executing (pending).
            #expect(pending["data"]?.arrayValue?.count == 2)
            let both = try client.json(try client.send("GET", "/solaruser/api/v1/sec/instr/view?ids=\(first.id),\(second.id)"))
            #expect(both["data"]?.arrayValue?.compactMap { $0["state"]?.stringValue } == ["Executing", "Completed"])
            let completed = try client.json(try client.send(
                "GET", "/solaruser/api/v1/sec/instr?nodeIds=123&states=Completed&startDate=2000-01-01%2000:00:00Z"))
            #expect(completed["data"]?.arrayValue?.compactMap { $0["id"]?.intValue } == [Int(first.id), Int(second.id)])
            let none = try client.json(try client.send("GET", "/solaruser/api/v1/sec/instr?nodeIds=124"))
            #expect(none["data"]?.arrayValue?.isEmpty == true)
        }
    }

    @Test func entitiesAndWhoami() throws {
        try withSimulator { _, client throws in
            let chargers = try client.json(try client.send("GET", "/solaruser/api/v1/sec/user/ocpp/chargers"))
            let charger = try #require(chargers["data"]?.arrayValue?.first)
            #expect(charger["id"]?.intValue == 5)
            #expect(charger["nodeId"]?.intValue == 123)
            #expect(charger["enabled"]?.boolValue == true)
            #expect(charger["registrationStatus"]?.stringValue == "Accepted")
            #expect(try client.send("GET", "/solaruser/api/v1/sec/user/ocpp/chargers/5").status == 200)
            let missing = try client.send("GET", "/solaruser/api/v1/sec/user/ocpp/chargers/9")
            #expect(missing.status == 404)
            #expect(try client.json(missing)["code"]?.stringValue == "DAO.00102")
            let groups = try client.json(try client.send("GET", "/solaruser/api/v1/sec/user/oscp/capacity-groups"))
            #expect(groups["data"]?.arrayValue?.first?["identifier"]?.stringValue == "foo-group")
            #expect(groups["data"]?.arrayValue?.first?["capacityOptimizerId"]?.intValue == 1)
            let optimizers = try client.json(try client.send("GET", "/solaruser/api/v1/sec/user/oscp/capacity-optimizers"))
            #expect(optimizers["data"]?.arrayValue?.first?["configId"]?.intValue == 1)
            #expect(try client.send("GET", "/solaruser/api/v1/sec/whoami").status == 200)
        }
    }

    // MARK: Authentication

    @Test func authenticationFailures() throws {
        try withSimulator { simulator, client throws in
            let http = OutboundHTTPClient(timeout: 10)
            let url = try #require(URL(string: simulator.baseURL + "/solaruser/api/v1/sec/whoami"))
            let unsigned = try http.send(method: "GET", url: url, headers: [], body: nil)
            #expect(unsigned.status == 401)
            #expect(unsigned.header("WWW-Authenticate") == "SNWS2")

            var wrong = client
            wrong.signer = SNWS2Signer(credentials: SNWS2Credentials(token: "sample-token", secret: "wrong"))
            let bad = try wrong.send("GET", "/solaruser/api/v1/sec/whoami")
            #expect(bad.status == 403)
            #expect(bad.header("X-SN-ErrorMessage") == "Invalid Signature value")
            let envelope = try client.json(bad)
            #expect(envelope == .members([("success", .bool(false)), ("code", .string("403")), ("message", .string("Invalid Signature value"))]))

            let stale = try client.send("GET", "/solaruser/api/v1/sec/whoami", date: Date().addingTimeInterval(-3600))
            #expect(stale.header("X-SN-ErrorMessage") == "Date skew too large")

            var stranger = client
            stranger.signer = SNWS2Signer(credentials: SNWS2Credentials(token: "other", secret: "x"))
            #expect(try stranger.send("GET", "/solaruser/api/v1/sec/whoami").header("X-SN-ErrorMessage") == "Bad credentials")
            #expect(simulator.requests.map(\.status) == [401, 403, 403, 403])
        }
    }

    @Test func rejectSignatureSwitch() throws {
        try withSimulator(faults: SimulatorFaults(rejectSignature: true)) { simulator, client throws in
            #expect(try client.send("GET", "/solaruser/api/v1/sec/whoami").status == 403)
            #expect(simulator.addCount == 0)
        }
    }
}
