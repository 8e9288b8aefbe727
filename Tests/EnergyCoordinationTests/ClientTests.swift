import Essentials
import Foundation
import Synchronization
import Testing
@testable import EnergyCoordination

/// The client against a scripted transport: OAuth form, token caching and expiry, refresh on 401,
/// problem details, both API versions' paths, and secrets kept out of errors.
struct ClientTests {
    /// A fake API: answers by route, counts token requests, and can refuse the current token once.
    final class FakeAPI: Sendable {
        struct Seen: Sendable {
            var method: String
            var url: String
            var headers: [(String, String)]
            var body: String?
        }

        let seen = Mutex<[Seen]>([])
        let tokenCount = Atomic<Int>(0)
        let refuseNextCall = Atomic<Bool>(false)
        let routes: @Sendable (String, String) -> APIResponse
        let expiresIn: String?

        init(expiresIn: String? = "3600", routes: @escaping @Sendable (String, String) -> APIResponse = { _, _ in APIResponse(status: 200, body: Array("[]".utf8)) }) {
            self.expiresIn = expiresIn
            self.routes = routes
        }

        var transport: APITransport {
            { [self] request in
                seen.withLock {
                    $0.append(Seen(method: request.method, url: request.url.absoluteString, headers: request.headers,
                                   body: request.body.map { String(decoding: $0, as: UTF8.self) }))
                }
                if request.url.path == "/connect/token" {
                    let n = tokenCount.add(1, ordering: .relaxed).newValue
                    let lifetime = expiresIn.map { ",\"expires_in\":\($0)" } ?? ""
                    return APIResponse(status: 200, body: Array("{\"access_token\":\"t\(n)\",\"token_type\":\"Bearer\"\(lifetime)}".utf8))
                }
                if refuseNextCall.exchange(false, ordering: .relaxed) { return APIResponse(status: 401) }
                return routes(request.method, request.url.path + (request.url.query.map { "?" + $0 } ?? ""))
            }
        }

        var requests: [Seen] { seen.withLock { $0 } }
    }

    final class Clock: Sendable {
        let time = Mutex(Date(timeIntervalSince1970: 1_700_000_000))
        func advance(_ seconds: Double) { time.withLock { $0 = $0.addingTimeInterval(seconds) } }
        var now: @Sendable () -> Date { { [self] in time.withLock { $0 } } }
    }

    static func client(_ api: FakeAPI, version: APIVersion = .v1, secret: String = "s3cret&=+%/ x",
                       clock: Clock = Clock()) throws -> EnergyCoordinationClient {
        let configuration = EnergyCoordinationClient.Configuration(
            baseURL: try #require(URL(string: "https://api.example/energy-coordination/v1")),
            credentials: ClientCredentials(tokenURL: try #require(URL(string: "https://auth.example/connect/token")),
                                           clientId: "partner one", clientSecret: secret),
            apiVersion: version, eventsPageSize: 2)
        return EnergyCoordinationClient(configuration: configuration, transport: api.transport, now: clock.now)
    }

    @Test func tokenRequestIsAProperlyEncodedForm() throws {
        let api = FakeAPI()
        _ = try Self.client(api).listSubscriptions()
        let token = try #require(api.requests.first)
        #expect(token.method == "POST")
        #expect(token.body == "grant_type=client_credentials&client_id=partner%20one&client_secret=s3cret%26%3D%2B%25%2F%20x")
        #expect(token.headers.contains { $0.0 == "Content-Type" && $0.1 == "application/x-www-form-urlencoded" })
        let call = try #require(api.requests.last)
        #expect(call.url == "https://api.example/energy-coordination/v1/subscriptions")
        #expect(call.headers.contains { $0.0 == "Authorization" && $0.1 == "Bearer t1" })
    }

    @Test func tokenIsCachedUntilSixtySecondsBeforeExpiry() throws {
        let api = FakeAPI()
        let clock = Clock()
        let client = try Self.client(api, clock: clock)
        for _ in 0..<3 { _ = try client.listResources() }
        #expect(api.tokenCount.load(ordering: .relaxed) == 1)
        clock.advance(3600 - 61)
        _ = try client.listResources()
        #expect(api.tokenCount.load(ordering: .relaxed) == 1)
        clock.advance(2)
        _ = try client.listResources()
        #expect(api.tokenCount.load(ordering: .relaxed) == 2)
    }

    @Test func missingExpiresInMeansOneHour() throws {
        let api = FakeAPI(expiresIn: nil)
        let clock = Clock()
        let client = try Self.client(api, clock: clock)
        _ = try client.listResources()
        clock.advance(3000)
        _ = try client.listResources()
        #expect(api.tokenCount.load(ordering: .relaxed) == 1)
        clock.advance(600)
        _ = try client.listResources()
        #expect(api.tokenCount.load(ordering: .relaxed) == 2)
    }

    @Test func a401RefreshesOnceAndRetriesOnce() throws {
        let api = FakeAPI()
        let client = try Self.client(api)
        _ = try client.listResources()
        api.refuseNextCall.store(true, ordering: .relaxed)
        _ = try client.listResources()
        #expect(api.tokenCount.load(ordering: .relaxed) == 2)
        #expect(api.requests.last?.headers.contains { $0.1 == "Bearer t2" } == true)

        let always401 = FakeAPI { _, _ in APIResponse(status: 401) }
        let failing = try Self.client(always401)
        #expect(throws: EnergyCoordinationError.self) { _ = try failing.listResources() }
        #expect(always401.tokenCount.load(ordering: .relaxed) == 2)
        #expect(always401.requests.count == 4)
    }

    @Test func concurrentCallersShareOneRefresh() async throws {
        let api = FakeAPI()
        let client = try Self.client(api)
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<8 { group.addTask { _ = try? client.listResources() } }
        }
        #expect(api.tokenCount.load(ordering: .relaxed) == 1)
    }

    @Test func problemDetailsAreSurfacedWithFieldErrors() throws {
        let body = #"{"type":"https://tools.ietf.org/html/rfc9110#section-15.5.1","title":"One or more validation errors occurred.","status":400,"errors":{"webhookUrl":["The webhookUrl field is required."]},"traceId":"00-1"}"#
        let api = FakeAPI { _, _ in APIResponse(status: 400, headers: [("Content-Type", "application/problem+json")], body: Array(body.utf8)) }
        do {
            _ = try Self.client(api).createSubscription(SubscriptionDraft(url: nil, secret: "hook-secret-1"))
            Issue.record("expected an error")
        } catch let error as EnergyCoordinationError {
            #expect(error.status == 400)
            #expect(error.problem?.title == "One or more validation errors occurred.")
            #expect(error.problem?.errors.first?.field == "webhookUrl")
            #expect(error.description == "POST /subscriptions: HTTP 400 One or more validation errors occurred. (webhookUrl: The webhookUrl field is required.)")
        }
    }

    @Test func lenientErrorBodies() {
        #expect(ProblemDetails.parse(Array(#""Event not found""#.utf8)) == ProblemDetails(detail: "Event not found"))
        #expect(ProblemDetails.parse([]) == nil)
        #expect(ProblemDetails.parse(Array("  \n".utf8)) == nil)
        #expect(ProblemDetails.parse(Array("Bad gateway".utf8))?.detail == "Bad gateway")
        let oauth = ProblemDetails.parse(Array(#"{"error":"invalid_client","error_description":"nope"}"#.utf8))
        #expect(oauth?.summary == "invalid_client: nope")
    }

    @Test func notFoundWithAnEmptyBody() throws {
        let api = FakeAPI { _, _ in APIResponse(status: 404) }
        do {
            _ = try Self.client(api).event(id: "a b/c")
            Issue.record("expected an error")
        } catch let error as EnergyCoordinationError {
            #expect(error.isNotFound)
            #expect(error.description == "GET /events/a%20b%2Fc: HTTP 404 not found")
        }
        #expect(api.requests.last?.url == "https://api.example/energy-coordination/v1/events/a%20b%2Fc")
    }

    @Test func secretsNeverReachErrors() throws {
        let echo = FakeAPI { _, _ in
            APIResponse(status: 400, body: Array(#"{"title":"bad","detail":"secret hook-secret-1 and s3cret&=+%/ x rejected"}"#.utf8))
        }
        do {
            _ = try Self.client(echo).createSubscription(SubscriptionDraft(url: "https://x", secret: "hook-secret-1"))
            Issue.record("expected an error")
        } catch {
            let text = String(describing: error)
            #expect(!text.contains("hook-secret-1"))
            #expect(!text.contains("s3cret"))
            #expect(text.contains("***"))
        }
        let refused = ClientTests.FakeAPI()
        let bad = EnergyCoordinationClient(
            configuration: .init(baseURL: try #require(URL(string: "https://api.example")),
                                 credentials: ClientCredentials(tokenURL: try #require(URL(string: "https://auth.example/other")),
                                                                clientId: "c", clientSecret: "very-secret")),
            transport: { request in
                if request.url.path == "/other" {
                    return APIResponse(status: 400, body: Array(#"{"error":"invalid_client","error_description":"very-secret is wrong"}"#.utf8))
                }
                return try refused.transport(request)
            })
        do {
            _ = try bad.listResources()
            Issue.record("expected an error")
        } catch let error as EnergyCoordinationError {
            #expect(error.kind == .token)
            #expect(!error.description.contains("very-secret"))
        }
    }

    @Test func v1AndV2024Paths() throws {
        let v1 = FakeAPI { _, _ in APIResponse(status: 200, body: Array(#"{"id":"s1","webhookUrl":"https://x","webhookSecret":"k"}"#.utf8)) }
        let c1 = try Self.client(v1)
        _ = try c1.updateSubscription(id: "s1", SubscriptionDraft(operationTypes: ["Create"]))
        _ = try c1.updateResource(ResourceDraft(resourceId: "vehicle 1", vin: "V"))
        try c1.deleteResource(id: "vehicle 1")
        try c1.testSubscription(id: "s1")
        let paths1 = v1.requests.filter { !$0.url.contains("connect") }.map { "\($0.method) \($0.url.replacingOccurrences(of: "https://api.example/energy-coordination/v1", with: ""))" }
        #expect(paths1 == ["GET /subscriptions/s1", "PUT /subscriptions/s1", "GET /resources/vehicle%201", "PUT /resources?resourceId=vehicle%201",
                           "DELETE /resources?resourceId=vehicle%201", "POST /subscriptions/s1/test"])
        let put = try #require(v1.requests.first { $0.method == "PUT" })
        #expect(put.body == #"{"id":"s1","webhookSecret":"k","webhookUrl":"https://x","eventPayloadTypes":[],"operationTypes":["Create"]}"#)

        let v2 = FakeAPI { method, path in
            if path.hasPrefix("/energy-coordination/v1/events") {
                let page = path.contains("page=1") ? 1 : 2
                let next = page == 1 ? "2" : "null"
                return APIResponse(status: 200, body: Array("{\"events\":[{\"id\":\"e\(page)\",\"createdAt\":\"2026-01-01T00:00:00Z\",\"payload\":{\"payloadType\":\"ResourceLPC\",\"targets\":[]}}],\"pagination\":{\"nextPage\":\(next)}}".utf8))
            }
            return APIResponse(status: method == "POST" ? 201 : 200, body: Array(#"{"webhookId":"w1","webhookUrl":"https://x","notificationTypes":["ResourceLPCRequested"],"enabled":true}"#.utf8))
        }
        let c2 = try Self.client(v2, version: .v2024)
        let created = try c2.createSubscription(SubscriptionDraft(url: "https://x", secret: "k", notificationTypes: ["ResourceLPCRequested"]))
        #expect(created.id == "w1" && created.notificationTypes == ["ResourceLPCRequested"] && created.enabled == true)
        _ = try c2.updateSubscription(id: "w1", SubscriptionDraft(name: "n"))
        try c2.setSubscriptionEnabled(id: "w1", false)
        try c2.deleteResource(id: "r1")
        let events = try c2.allEvents()
        #expect(events.compactMap { EventPage.eventId(of: $0) } == ["e1", "e2"])
        let paths2 = v2.requests.filter { !$0.url.contains("connect") }.map { "\($0.method) \($0.url.replacingOccurrences(of: "https://api.example/energy-coordination/v1", with: ""))" }
        #expect(paths2 == ["POST /webhooks", "PATCH /webhooks/w1", "PUT /webhooks/w1/enabled?enabled=false", "DELETE /resources/r1",
                           "GET /events?page=1&pageSize=2", "GET /events?page=2&pageSize=2"])
        #expect(v2.requests.first { $0.method == "PATCH" }?.body == #"{"name":"n"}"#)
    }

    @Test func modelsTolerateSpellings() throws {
        let sub = try WebhookSubscription(json: JSON.parse(#"{"ID":"x","url":"https://u","eventTypes":["PowerLevel"],"operations":["Create"],"extra":1}"#))
        #expect(sub.id == "x" && sub.url == "https://u" && sub.eventPayloadTypes == ["PowerLevel"] && sub.operationTypes == ["Create"])
        #expect(!sub.hasSecret)
        let resource = try PartnerResource(json: JSON.parse(#"{"id":"1","resourceId":"vehicle-1","metadata":{"resourceType":"Vehicle","year":2022,"vin":"V1"}}"#))
        #expect(resource.year == "2022" && resource.vin == "V1")
        #expect(throws: EnergyCoordinationError.self) { _ = try WebhookSubscription(json: JSON.parse("[]")) }
    }
}
