import Foundation
import Testing
import Essentials
@testable import SolarNetwork

/// Envelope, instruction and state decoding; shapes from solarnetwork.md §3.3–3.5.
@Suite struct SolarNetworkResultTests {
    @Test func minimalSuccess() throws {
        let r = try SolarNetworkResult.decode(bytes(#"{"success":true}"#))
        #expect(r == SolarNetworkResult(success: true))
        #expect(r.data == nil)
    }

    @Test func authenticationFailure() throws {
        let r = try SolarNetworkResult.decode(bytes(#"{"success":false,"code":"401","message":"Date skew too large"}"#))
        #expect(!r.success)
        #expect(r.code == "401")
        #expect(r.message == "Date skew too large")
        #expect(r.failureSummary == "401: Date skew too large")
    }

    @Test func validationErrorsAndNumericCode() throws {
        let body = #"{"success":false,"code":422,"message":"Validation error","errors":[{"location":"nodeId","code":"VAL.00001","rejectedValue":null,"message":"The nodeId parameter is required."},{"rejectedValue":{"a":1}}]}"#
        let r = try SolarNetworkResult.decode(bytes(body))
        #expect(r.code == "422")
        #expect(r.errors.count == 2)
        #expect(r.errors[0] == .init(location: "nodeId", code: "VAL.00001", rejectedValue: nil, message: "The nodeId parameter is required."))
        #expect(r.errors[1].rejectedValue == .object([("a", .number("1"))]))
        #expect(r.failureSummary == "422: Validation error: nodeId: The nodeId parameter is required.")
    }

    @Test func dataIsKeptAsJSON() throws {
        let r = try SolarNetworkResult.decode(bytes(#"{"success":true,"data":[1,2],"extra":"ignored"}"#))
        #expect(r.data == .array([.number("1"), .number("2")]))
        #expect(try SolarNetworkResult.decode(bytes(#"{"success":true,"data":null}"#)).data == nil)
    }

    @Test(arguments: ["", "[]", "{}", #"{"success":"true"}"#, #"{"success":true,"errors":{}}"#,
                      #"{"success":true,"message":[1]}"#, #"{"success":true,"errors":[1]}"#, "<html>"])
    func malformedEnvelopes(_ body: String) {
        #expect(throws: SolarNetworkDecodingError.self) { try SolarNetworkResult.decode(bytes(body)) }
    }

    @Test func instructionFromView() throws {
        let body = #"""
        {"success":true,"data":{"id":123456,"created":"2021-08-11 16:45:01.234567Z","nodeId":123,"topic":"OCPP_v16",
         "instructionDate":"2021-08-11 16:45:01.234567Z","state":"Completed","statusDate":"2021-08-11 16:45:02Z",
         "parameters":[{"name":"action","value":"SetChargingProfile"},{"name":"chargePointId","value":"5"},
                       {"name":"msg","value":"{\"connectorId\":"},{"name":"msg","value":"1}"}],
         "resultParameters":{"status":"Accepted"}}}
        """#
        let r = try SolarNetworkResult.decode(bytes(body))
        let data = try #require(r.data)
        let instruction = try NodeInstruction(json: data)
        #expect(instruction.id == 123_456)
        #expect(instruction.nodeId == 123)
        #expect(instruction.topic == "OCPP_v16")
        #expect(instruction.state == .completed)
        #expect(instruction.statusDate == Timestamp.parse("2021-08-11T16:45:02Z"))
        #expect(instruction.created != nil)
        #expect(instruction.parameter("action") == "SetChargingProfile")
        #expect(instruction.parameter("msg") == #"{"connectorId":1}"#)
        #expect(instruction.parameter("missing") == nil)
        #expect(instruction.result("status") == "Accepted")
    }

    @Test func declinedInstructionWithObjectParams() throws {
        let json = try JSON.parse(#"{"id":"7","state":"Declined","params":{"action":"X","coId":1},"resultParameters":{"error":"Missing capacity optimizer ID"}}"#)
        let instruction = try NodeInstruction(json: json)
        #expect(instruction.id == 7)
        #expect(instruction.state.isFinal)
        #expect(instruction.parameters.map(\.name) == ["action"])  // non-string values are dropped, as the server does
        #expect(instruction.result("error") == "Missing capacity optimizer ID")
    }

    @Test func instructionWithoutIdIsRejected() throws {
        #expect(throws: SolarNetworkDecodingError.self) { try NodeInstruction(json: try JSON.parse(#"{"state":"Queued"}"#)) }
        #expect(throws: SolarNetworkDecodingError.self) { try NodeInstruction(json: .array([])) }
    }

    @Test func instructionStates() {
        #expect(InstructionState.allCases.map(\.rawValue) == ["Unknown", "Queued", "Queuing", "Received", "Executing", "Declined", "Completed"])
        #expect(InstructionState.allCases.filter(\.isFinal) == [.declined, .completed])
        #expect(InstructionState(parsing: "Queuing") == .queuing)
        #expect(InstructionState(parsing: "completed") == .unknown)
        #expect(InstructionState(parsing: "Bogus") == .unknown)
    }
}
