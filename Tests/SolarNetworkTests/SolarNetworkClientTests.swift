import Essentials
import Foundation
import Synchronization
import Testing
@testable import SolarNetwork

/// The SolarUser client against an in-process fake peer: every request signed verifiably, the `Result`
/// envelope decoded, outcomes classified (solarnetwork.md §2.8, §3.5).
@Suite struct SolarNetworkClientTests {
    static let credentials = SNWS2Credentials(token: "test-token", secret: "test-secret")
    static let clock = Date(timeIntervalSince1970: 1_704_124_800) // 2024-01-01T16:00:00Z

    /// A fake SolarUser peer: records requests, checks the SNWS2 signature like the server does, and
    /// answers with whatever `answer` returns.
    final class FakePeer: Sendable {
        struct Seen: Sendable {
            var method: String
            var url: URL
            var headers: [(String, String)]
            var body: [UInt8]
            var signatureValid: Bool
        }

        let seen = Mutex<[Seen]>([])
        let answer: @Sendable (Seen) throws -> SolarNetworkHTTPResponse

        init(answer: @escaping @Sendable (Seen) throws -> SolarNetworkHTTPResponse) {
            self.answer = answer
        }

        var transport: SolarNetworkClientTransport {
            { method, url, headers, body in
                let seen = Seen(method: method, url: url, headers: headers, body: body ?? [],
                                signatureValid: Self.verify(method: method, url: url, headers: headers, body: body ?? []))
                self.seen.withLock { $0.append(seen) }
                return try self.answer(seen)
            }
        }

        var requests: [Seen] { seen.withLock { $0 } }

        /// Recomputes the signature from what arrived (Host from the URL, as the server sees it).
        static func verify(method: String, url: URL, headers: [(String, String)], body: [UInt8]) -> Bool {
            func header(_ name: String) -> String? { headers.first(where: { $0.0.lowercased() == name })?.1 }
            guard let authorization = header("authorization"),
                  header("x-sn-date") == SNWS2DateFormat.httpDate(SolarNetworkClientTests.clock),
                  let signedPart = authorization.split(separator: ",").first(where: { $0.hasPrefix("SignedHeaders=") })
            else { return false }
            let signed = signedPart.dropFirst("SignedHeaders=".count).split(separator: ";").map(String.init)
            let components = URLComponents(url: url, resolvingAgainstBaseURL: false)
            let host = (components?.host ?? "") + (components?.port.map { ":\($0)" } ?? "")
            let request = SNWS2Request(method: method, path: components?.percentEncodedPath ?? "",
                                       query: components?.percentEncodedQuery.map(SNWS2QueryEncoding.decodeQuery) ?? [],
                                       headers: headers + [("Host", host)], body: body, date: SolarNetworkClientTests.clock)
            let expected = SNWS2Signer(credentials: SolarNetworkClientTests.credentials)
                .authorization(for: request, signedHeaders: signed)
            return expected == authorization && signed.contains("host") && signed.contains("x-sn-date")
        }
    }

    static func client(_ peer: FakePeer, digest: Bool = false) -> SolarNetworkClient {
        SolarNetworkClient(baseURL: "http://sn.test:9101/", credentials: credentials, transport: peer.transport,
                           digest: digest, now: { clock })
    }

    static func json(_ status: Int, _ text: String, headers: [(name: String, value: String)] = []) -> SolarNetworkHTTPResponse {
        SolarNetworkHTTPResponse(status: status, headers: [("Content-Type", "application/json")] + headers, body: Array(text.utf8))
    }

    // Shapes from solarnetwork.md §3.3.
    static let queued = #"{"success":true,"data":{"id":42,"created":"2024-01-01 16:00:00.123Z","nodeId":123,"topic":"OCPP_v16","state":"Queued","parameters":[{"name":"action","value":"SetChargingProfile"}]}}"#

    @Test func addInstructionIsSignedAndDecoded() throws {
        let peer = FakePeer { _ in Self.json(200, Self.queued) }
        let body = Array(#"{"nodeId":123,"params":{"action":"SetChargingProfile","chargePointId":"5","msg":"{}"}}"#.utf8)
        let reply = Self.client(peer, digest: true).addInstruction(topic: "OCPP_v16", body: body)
        let instruction = try #require(reply.value)
        #expect(instruction.id == 42)
        #expect(instruction.state == .queued)
        #expect(reply.status == 200)
        let request = try #require(peer.requests.first)
        #expect(request.method == "POST")
        #expect(request.url.absoluteString == "http://sn.test:9101/solaruser/api/v1/sec/instr/add/OCPP_v16")
        #expect(request.body == body)
        #expect(request.signatureValid)
        let authorization = request.headers.first(where: { $0.0 == "Authorization" })?.1 ?? ""
        #expect(authorization.contains("SignedHeaders=content-type;digest;host;x-sn-date,"))
        #expect(request.headers.contains(where: { $0.0 == "Digest" && $0.1.hasPrefix("sha-256=") }))
    }

    @Test func viewAndListQueriesAreSignedWithTheirParameters() throws {
        let peer = FakePeer { seen in
            if seen.url.path.hasSuffix("/view") { return Self.json(200, Self.queued) }
            return Self.json(200, #"{"success":true,"data":{"results":[{"id":7,"state":"Completed","parameters":[{"name":"msg","value":"{\"a\":"},{"name":"msg","value":"1}"}]}]}}"#)
        }
        let client = Self.client(peer)
        #expect(client.viewInstruction(id: 42).value?.id == 42)
        let list = try #require(client.instructions(nodeIds: [123], startDate: Self.clock.addingTimeInterval(-60),
                                                    endDate: Self.clock).value)
        #expect(list.map(\.id) == [7])
        #expect(list.first?.parameter("msg") == #"{"a":1}"#)
        #expect(peer.requests.count == 2)
        #expect(peer.requests.allSatisfy { $0.signatureValid })
        #expect(peer.requests[0].url.query == "id=42")
        #expect(peer.requests[1].url.query == "nodeIds=123&startDate=2024-01-01T15%3A59%3A00Z&endDate=2024-01-01T16%3A00%3A00Z")
        #expect(!peer.requests[0].headers.contains(where: { $0.0.lowercased() == "content-type" }))
    }

    @Test func entityReadsUseTheUserPaths() throws {
        let peer = FakePeer { seen in
            seen.url.path.hasSuffix("/chargers/5") ? Self.json(200, #"{"success":true,"data":{"id":5,"enabled":true}}"#)
                : Self.json(200, #"{"success":true,"data":[{"id":1}]}"#)
        }
        let client = Self.client(peer)
        #expect(client.chargers().value?.count == 1)
        #expect(client.charger(id: 5).value?["enabled"]?.boolValue == true)
        #expect(client.capacityGroups().value?.count == 1)
        #expect(client.capacityOptimizers().value?.count == 1)
        #expect(peer.requests.map(\.url.path) == [
            "/solaruser/api/v1/sec/user/ocpp/chargers", "/solaruser/api/v1/sec/user/ocpp/chargers/5",
            "/solaruser/api/v1/sec/user/oscp/capacity-groups", "/solaruser/api/v1/sec/user/oscp/capacity-optimizers",
        ])
        #expect(peer.requests.allSatisfy { $0.signatureValid })
    }

    @Test func authenticationFailuresArePermanentAndSurfaceTheServerMessage() throws {
        let peer = FakePeer { _ in
            Self.json(401, #"{"success":false,"code":"401","message":"Invalid Signature value"}"#,
                      headers: [("X-SN-ErrorMessage", "Invalid Signature value"), ("WWW-Authenticate", "SNWS2")])
        }
        let failure = try #require(Self.client(peer).viewInstruction(id: 1).failure)
        #expect(failure.kind == .permanent)
        #expect(failure.status == 401)
        #expect(failure.message == "authentication failed (HTTP 401): Invalid Signature value")
        #expect(!failure.message.contains("test-secret"))

        let forbidden = FakePeer { _ in Self.json(403, #"{"success":false,"message":"Bad credentials"}"#) }
        let denied = try #require(Self.client(forbidden).viewInstruction(id: 1).failure)
        #expect(denied.kind == .permanent)
        #expect(denied.message.contains("Bad credentials"))
    }

    @Test(arguments: [
        (408, "", SolarNetworkClientFailure.Kind.transient),
        (429, #"{"success":false,"code":"DAO.00201","message":"try again later"}"#, .transient),
        (500, #"{"success":false,"code":"EE.00500"}"#, .transient),
        (503, "<html>busy</html>", .transient),
        (404, #"{"success":false,"code":"DAO.00102","message":"Not found"}"#, .permanent),
        (422, #"{"success":false,"message":"Malformed JSON: x"}"#, .permanent),
        (302, "", .permanent),
    ])
    func statusClassification(status: Int, body: String, kind: SolarNetworkClientFailure.Kind) throws {
        let peer = FakePeer { _ in Self.json(status, body) }
        let failure = try #require(Self.client(peer).viewInstruction(id: 1).failure)
        #expect(failure.kind == kind)
        #expect(failure.status == status)
    }

    @Test func successFalseIsPermanentUnlessTheCodeIsTransient() throws {
        let refused = FakePeer { _ in Self.json(200, #"{"success":false,"code":"VAL.00001","message":"bad"}"#) }
        let failure = try #require(Self.client(refused).viewInstruction(id: 1).failure)
        #expect(failure.kind == .permanent)
        #expect(failure.message == "SolarNetwork refused: VAL.00001: bad")

        let busy = FakePeer { _ in Self.json(200, #"{"success":false,"code":"DAO.00301"}"#) }
        #expect(Self.client(busy).viewInstruction(id: 1).failure?.kind == .transient)
    }

    @Test func connectionErrorsAndUnreadableAnswersAreTransient() throws {
        struct Reset: Error, CustomStringConvertible { var description: String { "connection reset" } }
        let dropped = FakePeer { _ in throw Reset() }
        let failure = try #require(Self.client(dropped).addInstruction(topic: "OCPP_v16", body: Array("{}".utf8)).failure)
        #expect(failure.kind == .transient)
        #expect(failure.status == nil)
        #expect(failure.message.contains("connection reset"))

        let garbled = FakePeer { _ in Self.json(200, "not json") }
        #expect(Self.client(garbled).viewInstruction(id: 1).failure?.kind == .transient)
        let noData = FakePeer { _ in Self.json(200, #"{"success":true}"#) }
        #expect(Self.client(noData).viewInstruction(id: 1).failure?.kind == .transient)
    }

    @Test func retryAfterIsPassedOn() throws {
        let peer = FakePeer { _ in Self.json(429, #"{"success":false,"code":"DAO.00201"}"#, headers: [("Retry-After", "7")]) }
        #expect(Self.client(peer).viewInstruction(id: 1).failure?.retryAfter == "7")
    }
}
