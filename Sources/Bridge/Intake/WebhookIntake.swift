import BridgeStore
import Dispatch
import EnergyCoordination
import Essentials
import FoundationEssentials
import HTTPServer
import Synchronization
import WebhookAuth

/// The HTTP face of ecbridge: verifies each webhook on its raw bytes, decodes it, and answers 200 only
/// once the inbox row is committed (design.md §1.1–1.4, status codes §4.4).
///
/// This is the one place where outcomes become HTTP statuses; nothing else in the app builds responses.
public final class WebhookIntake: HTTPHandler {
    private let endpoints: [String: WebhookEndpoint]
    /// Request series per webhook path (and one for every other path).
    private let endpointMetrics: [String: EndpointMetrics]
    private let otherPathMetrics: EndpointMetrics
    private let store: BridgeStore
    private let decodeOptions: DecodeOptions
    private let logger: Logger
    private let metrics: Metrics
    private let clock: @Sendable () -> Date
    private let quarantineBudget = QuarantineBudget()
    private let draining = Atomic<Bool>(false)
    private let requestCounter = Atomic<UInt64>(0)
    private let requestPrefix: String
    /// Called after an inbox row is stored, so the planner can start without polling.
    private let onAdmitted: @Sendable () -> Void
    private let maxUnauthenticatedQuarantine: Int
    /// Where stored events are left for the planner, so it need not decode them again.
    private let eventCache: DecodedEventCache

    init(endpoints: [WebhookEndpoint], store: BridgeStore, decodeOptions: DecodeOptions, logger: Logger,
         metrics: Metrics, maxUnauthenticatedQuarantine: Int = 1_000, clock: @escaping @Sendable () -> Date = { Date() },
         eventCache: DecodedEventCache = DecodedEventCache(), onAdmitted: @escaping @Sendable () -> Void = {}) {
        self.endpoints = Dictionary(endpoints.map { ($0.settings.path, $0) }, uniquingKeysWith: { a, _ in a })
        endpointMetrics = Dictionary(endpoints.map { ($0.settings.path, EndpointMetrics(path: $0.settings.path, metrics: metrics)) },
                                     uniquingKeysWith: { a, _ in a })
        otherPathMetrics = EndpointMetrics(path: "other", metrics: metrics)
        self.store = store
        self.decodeOptions = decodeOptions
        self.logger = logger
        self.metrics = metrics
        self.clock = clock
        self.onAdmitted = onAdmitted
        self.maxUnauthenticatedQuarantine = maxUnauthenticatedQuarantine
        self.eventCache = eventCache
        // Answer every webhook of a committed batch, then wake the event loops once.
        store.setCompletionScope { deliver in ResponseBatch.deliver(deliver) }
        requestPrefix = String(UInt32.random(in: 0...UInt32.max), radix: 16)
    }

    /// Stops reporting ready (SIGTERM drain): load balancers move away while in-flight requests finish.
    func beginDraining() { draining.store(true, ordering: .relaxed) }

    // MARK: - Before the body

    public func accept(_ head: HTTPRequestHead) -> HTTPResponse? {
        switch head.path {
        case "/healthz", "/readyz", "/metrics":
            guard head.method == "GET" || head.method == "HEAD" else { return Self.methodNotAllowed("GET, HEAD") }
            return nil
        default:
            break
        }
        guard let endpoint = endpoints[head.path] else {
            return count(HTTPResponse.problem(status: 404, title: "Not Found", detail: "No webhook is configured at this path."), path: "other")
        }
        switch head.method {
        case "POST":
            guard Self.isJSON(head.headers["content-type"]) else {
                return count(HTTPResponse.problem(status: 415, title: "Unsupported Media Type",
                                                  detail: "Webhook bodies must be application/json."), path: endpoint.settings.path)
            }
            if let length = head.headers["content-length"].flatMap(Int.init), length > endpoint.maxBodyBytes {
                return count(HTTPResponse.problem(status: 413, title: "Content Too Large",
                                                  detail: "The body exceeds \(endpoint.maxBodyBytes) bytes."), path: endpoint.settings.path)
            }
            return nil
        case "GET", "HEAD":
            guard head.queryItem("echo") != nil else { return Self.methodNotAllowed("POST") }
            return nil
        default:
            return count(Self.methodNotAllowed("POST"), path: endpoint.settings.path)
        }
    }

    // MARK: - The request

    public func handle(_ request: HTTPRequest, respond: @escaping @Sendable (HTTPResponse) -> Void) {
        let head = request.head
        switch head.path {
        case "/healthz":
            respond(HTTPResponse.text(status: 200, "ok\n"))
            return
        case "/readyz":
            let ready = !draining.load(ordering: .relaxed) && store.isWritable
            respond(HTTPResponse.text(status: ready ? 200 : 503, ready ? "ready\n" : "not ready\n"))
            return
        case "/metrics":
            var response = HTTPResponse.text(status: 200, metrics.render())
            response.headers.set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
            respond(response)
            return
        default:
            break
        }
        guard let endpoint = endpoints[head.path] else {
            respond(HTTPResponse.problem(status: 404, title: "Not Found", detail: "No webhook is configured at this path."))
            return
        }
        if head.method == "GET" || head.method == "HEAD" {
            // OpenADR 3.1 callback check: echo the value back.
            respond(HTTPResponse.text(status: 200, head.queryItem("echo") ?? ""))
            return
        }
        receive(request, at: endpoint, respond: respond)
    }

    private func receive(_ request: HTTPRequest, at endpoint: WebhookEndpoint, respond: @escaping @Sendable (HTTPResponse) -> Void) {
        let started = DispatchTime.now().uptimeNanoseconds
        let requestId = "\(requestPrefix)-\(requestCounter.add(1, ordering: .relaxed).newValue)"
        let path = endpoint.settings.path
        let headers = request.head.headers
        let now = clock()
        let log = logger.with("requestId", requestId).with("path", path)

        let series = seriesFor(path)
        // The log fields are built only when the line is written.
        let finish: @Sendable (HTTPResponse, () -> [(String, String)]) -> Void = { response, fields in
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
            series.record(status: response.status, seconds: seconds)
            let level: Logger.Level = response.status < 400 ? .info : .warning
            // Build the line only when it is written: formatting the latency and the field arrays cost more
            // than the rest of the answer at high request rates.
            if level >= log.level {
                let latency = FixedPointText.format(seconds * 1000, fractionDigits: 2)
                log.log(level, "webhook answered", fields() + [("status", String(response.status)), ("latencyMs", latency)])
            }
            respond(response)
        }

        // 1. Verify the raw bytes before anything looks inside them.
        let verification = endpoint.verifier.verify(headers: { headers[$0] }, body: request.body, now: now)
        guard case let .verified(secretIndex, deliveryId) = verification else {
            let reason: String
            if case let .rejected(rejection) = verification { reason = rejection.rawValue } else { reason = "unknown" }
            metrics.increment("ecbridge_webhook_verification_failures_total", help: "Webhook requests refused by signature verification, by reason.",
                              labels: [("path", path), ("reason", reason)])
            keepUnauthenticated(request, path: path, reason: reason)
            // The same answer whatever failed, so a prober learns nothing.
            finish(HTTPResponse.problem(status: 401, title: "Unauthorized", detail: "Missing or invalid webhook signature."),
                   { [("outcome", "rejected"), ("reason", reason)] })
            return
        }

        // 2. Decode to the normalised event. The body's hash is only needed when the dedupe key falls
        // back to it or the body is quarantined.
        let body = request.body
        let digest: () -> String = { Hex.encode(SHA256.hash(body)) }
        let decoded: DecodedNotification
        do {
            decoded = try NotificationDecoder.decode(body: request.body, options: decodeOptions, bodySHA256Hex: digest)
        } catch {
            let record = QuarantineRecord(receivedAt: now, webhookPath: path, reason: error.reason, rawBody: request.body,
                                          headersJSON: RecordedHeaders.json(headers, remoteAddress: request.head.remoteAddress),
                                          dedupeHint: deliveryId ?? "body:\(digest())")
            store.quarantine(record) { result in
                switch result {
                case let .success(id):
                    finish(HTTPResponse.problem(status: 400, title: "Bad Request", detail: error.reason),
                           { [("outcome", "quarantined"), ("quarantineId", String(id))] })
                case let .failure(storeError):
                    finish(Self.unavailable(storeError), { [("outcome", "store-error"), ("error", storeError.description)] })
                }
            }
            return
        }

        // 3. Commit, then answer. The row keeps the raw body; the event is derived from it when needed
        // (`StoredEvent`), and the planner normally gets it decoded from `eventCache`.
        let event = decoded.event
        let record = InboxRecord(
            dedupeKey: decoded.dedupeKey, eventId: event.id, notificationId: event.notificationId,
            dialect: event.dialect.rawValue, operation: event.operation?.rawValue, payloadType: event.payloadType,
            state: event.isMappable ? "received" : "ignored", rawBody: request.body,
            headersJSON: RecordedHeaders.json(headers, remoteAddress: request.head.remoteAddress),
            webhookPath: path, receivedAt: now)
        let dedupeKey = decoded.dedupeKey
        let fields: @Sendable () -> [(String, String)] = {
            [("event", event.id), ("dialect", event.dialect.rawValue), ("payloadType", event.payloadType),
             ("dedupeKey", dedupeKey), ("secret", String(secretIndex + 1))]
        }
        let plannable = event.isMappable
        store.admit(record) { [onAdmitted, eventCache] result in
            switch result {
            case let .success(.stored(id, operation)):
                if plannable { eventCache.remember(inboxId: id, dedupeKey: dedupeKey, event: event) }
                finish(Self.accepted(status: "accepted", id: id, operation: operation),
                       { fields() + [("outcome", "stored"), ("inboxId", String(id))] })
                onAdmitted()
            case let .success(.duplicate(id)):
                finish(Self.accepted(status: "duplicate", id: id, operation: nil),
                       { fields() + [("outcome", "duplicate"), ("inboxId", String(id))] })
            case let .failure(storeError):
                finish(Self.unavailable(storeError), { fields() + [("outcome", "store-error"), ("error", storeError.description)] })
            }
        }
    }

    /// Keeps a bounded sample of bodies that failed authentication, for inspection.
    private func keepUnauthenticated(_ request: HTTPRequest, path: String, reason: String) {
        guard maxUnauthenticatedQuarantine > 0, quarantineBudget.take() else { return }
        let record = QuarantineRecord(receivedAt: clock(), webhookPath: path, reason: "unauthenticated: \(reason)",
                                      rawBody: request.body,
                                      headersJSON: RecordedHeaders.json(request.head.headers, remoteAddress: request.head.remoteAddress),
                                      dedupeHint: nil)
        store.quarantine(record, retainingAtMost: maxUnauthenticatedQuarantine,
                         ofReasonPrefix: "unauthenticated: ") { _ in }
    }

    // MARK: - Responses

    private func count(_ response: HTTPResponse, path: String) -> HTTPResponse {
        seriesFor(path).count(status: response.status)
        return response
    }

    private func seriesFor(_ path: String) -> EndpointMetrics {
        endpointMetrics[path] ?? otherPathMetrics
    }

    /// `{"status":…,"id":…,"operation":…}`, written directly: it is built for every stored webhook.
    static func accepted(status: String, id: Int64, operation: String?) -> HTTPResponse {
        var text = "{\"status\":" + JSON.string(status).compactText + ",\"id\":" + String(id)
        if let operation { text += ",\"operation\":" + JSON.string(operation).compactText }
        text += "}"
        var response = HTTPResponse(status: 200, body: Array(text.utf8))
        response.headers.set("Content-Type", "application/json")
        return response
    }

    static func unavailable(_ error: StoreError) -> HTTPResponse {
        var response = HTTPResponse.problem(status: 503, title: "Service Unavailable",
                                            detail: "The event could not be stored; retry later.")
        response.headers.set("Retry-After", "5")
        return response
    }

    static func methodNotAllowed(_ allow: String) -> HTTPResponse {
        var response = HTTPResponse.problem(status: 405, title: "Method Not Allowed", detail: "Allowed: \(allow).")
        response.headers.set("Allow", allow)
        return response
    }

    /// `application/json`, `application/problem+json`, `application/cloudevents+json` …, with parameters.
    ///
    /// Compared byte by byte (ASCII case folding, spaces and tabs trimmed): this runs for every request,
    /// and Foundation's trimming and lowercasing cost as much as parsing the request head.
    static func isJSON(_ contentType: String?) -> Bool {
        guard let contentType else { return false }
        var utf8 = contentType.utf8[...]
        if let semicolon = utf8.firstIndex(of: UInt8(ascii: ";")) { utf8 = utf8[..<semicolon] }
        func isBlank(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        while let first = utf8.first, isBlank(first) { utf8 = utf8.dropFirst() }
        while let last = utf8.last, isBlank(last) { utf8 = utf8.dropLast() }
        let mediaType = utf8.map { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") ? $0 | 0x20 : $0 }
        let application = Array("application/".utf8)
        guard mediaType.starts(with: application) else { return false }
        let subtype = mediaType[application.count...]
        return subtype.elementsEqual("json".utf8) || (subtype.count >= 5 && subtype.suffix(5).elementsEqual("+json".utf8))
    }
}
