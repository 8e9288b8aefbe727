import Essentials
import Foundation
import SolarNetwork
import Testing
@testable import Bridge

/// A SolarUser client for the stand-in tests: OutboundHTTPClient + SNWS2Signer, as ecbridge sends.
struct SignedSolarNetworkClient {
    var baseURL: String
    var signer = SNWS2Signer(credentials: SNWS2Credentials(token: "sample-token", secret: "sample-token-secret"))
    /// A fresh client per request when true (a dropped connection must not be retried on a reused one).
    var http = OutboundHTTPClient(timeout: 10)

    func send(_ method: String, _ pathAndQuery: String, body: String? = nil, date: Date = Date(),
              headers extra: [(String, String)] = [], digest: Bool = false) throws -> OutboundHTTPClient.Response {
        let url = try #require(URL(string: baseURL + pathAndQuery))
        let bytes = body.map { Array($0.utf8) } ?? []
        let signed = signer.sign(method: method, url: url, body: bytes, date: date, headers: extra, digest: digest)
        let headers = signed.headers.filter { $0.name.lowercased() != "host" }.map { ($0.name, $0.value) }
        return try http.send(method: method, url: url, headers: headers, body: body == nil ? nil : bytes)
    }

    func json(_ response: OutboundHTTPClient.Response) throws -> JSON {
        try JSON.parse(response.body)
    }

    /// POSTs `/instr/add/{topic}` and returns the instruction in `data`.
    func add(_ topic: String, _ body: String) throws -> NodeInstruction {
        let response = try send("POST", "/solaruser/api/v1/sec/instr/add/\(topic)", body: body)
        #expect(response.status == 200)
        let result = try SolarNetworkResult.decode(response.body)
        #expect(result.success)
        return try NodeInstruction(json: try #require(result.data))
    }

    func view(_ id: Int64) throws -> NodeInstruction {
        let response = try send("GET", "/solaruser/api/v1/sec/instr/view?id=\(id)")
        #expect(response.status == 200)
        return try NodeInstruction(json: try #require(try SolarNetworkResult.decode(response.body).data))
    }
}

/// A plain client for the Token-authenticated stand-ins (OSCP, GreenFlux).
struct TokenClient {
    var baseURL: String
    var token: String?
    var http = OutboundHTTPClient(timeout: 10)

    func send(_ method: String, _ path: String, body: String? = nil,
              headers extra: [(String, String)] = []) throws -> OutboundHTTPClient.Response {
        let url = try #require(URL(string: baseURL + path))
        var headers: [(String, String)] = []
        if let token { headers.append(("Authorization", "Token \(token)")) }
        if body != nil { headers.append(("Content-Type", "application/json")) }
        headers += extra
        return try http.send(method: method, url: url, headers: headers, body: body.map { Array($0.utf8) })
    }
}

/// Message bodies used across the stand-in tests (shapes from solarnetwork.md §4/§5, ocpp-oscp.md §4.4).
enum SimulatorSamples {
    static func setChargingProfile(limit: String = "10.0", chargePointId: String = "5") -> String {
        let msg = "{\"connectorId\":1,\"csChargingProfiles\":{\"chargingProfileId\":4201,\"stackLevel\":5,"
            + "\"chargingProfilePurpose\":\"TxDefaultProfile\",\"chargingProfileKind\":\"Absolute\",\"chargingSchedule\":"
            + "{\"startSchedule\":\"2024-01-01T16:00:00Z\",\"duration\":7200,\"chargingRateUnit\":\"A\","
            + "\"chargingSchedulePeriod\":[{\"startPeriod\":0,\"limit\":\(limit)}]}}}"
        return JSON.members([
            ("nodeId", .int(123)),
            ("params", .members([("action", .string("SetChargingProfile")), ("chargePointId", .string(chargePointId)),
                                 ("msg", .string(msg))])),
        ]).compactText
    }

    static func forecast(group: String = "foo-group", unit: String = "KW", capacity: String = "6.9",
                         start: String = "2024-01-01T16:00:00Z", end: String = "2024-01-01T18:00:00Z") -> String {
        "{\"group_id\":\"\(group)\",\"type\":\"CONSUMPTION\",\"forecasted_blocks\":[{\"capacity\":\(capacity),"
            + "\"phase\":\"ALL\",\"unit\":\"\(unit)\",\"start_time\":\"\(start)\",\"end_time\":\"\(end)\"}]}"
    }

    static func oscpInstruction(action: String = "AdjustGroupCapacityForecast", coId: JSON = .string("1"),
                                group: String = "foo-group", msg: String = forecast()) -> String {
        JSON.members([
            ("nodeId", .int(123)),
            ("params", .members([("action", .string(action)), ("coId", coId), ("cgIdentifier", .string(group)),
                                 ("msg", .string(msg))])),
        ]).compactText
    }
}
