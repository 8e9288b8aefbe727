import Dispatch
import Essentials
import FoundationEssentials

/// One request to a direct partner (OSCP peer, GreenFlux) with the outbox's failure rules applied.
///
/// Why shared: both direct channels classify the same way — no answer, 408, 429 and 5xx are transient,
/// any other non-success is permanent — and both surface the partner's message without the token.
struct DirectHTTPExchange: Sendable {
    let transport: DeliveryTransport

    struct Answer: Sendable {
        var response: OutboundHTTPClient.Response?
        var latency: Double
        /// `nil` when `response` has an accepted status.
        var failure: ChannelAttempt.Result?
    }

    func send(method: String, url: URL, headers: [(String, String)], body: [UInt8]?, now: Date,
              accept: (Int) -> Bool) -> Answer {
        let started = DispatchTime.now()
        func elapsed() -> Double { Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9 }
        let response: OutboundHTTPClient.Response
        do {
            response = try transport(method, url, headers, body)
        } catch {
            return Answer(response: nil, latency: elapsed(), failure: .transient(reason: "no answer: \(error)", retryAfter: nil))
        }
        let latency = elapsed()
        if accept(response.status) { return Answer(response: response, latency: latency, failure: nil) }
        let status = response.status
        var reason = "\(method) answered HTTP \(status)"
        if let message = Self.message(response) { reason += ": \(message)" }
        if status == 408 || status == 429 || (500...599).contains(status) {
            return Answer(response: response, latency: latency, failure: .transient(
                reason: reason, retryAfter: RetryAfter.seconds(response.header("Retry-After"), now: now)))
        }
        if status == 401 || status == 403 { reason = "authentication failed: " + reason }
        return Answer(response: response, latency: latency, failure: .permanent(reason: reason, result: nil))
    }

    /// `X-Error-Message`, else a JSON body's `message`/`status_message`, else a short text body.
    static func message(_ response: OutboundHTTPClient.Response) -> String? {
        if let header = response.header("X-Error-Message"), !header.isEmpty { return header }
        if let json = try? JSON.parse(response.body) {
            return json["message"]?.stringValue ?? json["status_message"]?.stringValue
        }
        let text = String(decoding: response.body.prefix(200), as: UTF8.self).trimmingWhitespaceAndNewlines()
        return text.isEmpty ? nil : text
    }
}
