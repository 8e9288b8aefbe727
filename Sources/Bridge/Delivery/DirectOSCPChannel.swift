import FoundationEssentials

/// Posts an OSCP 2.0 message straight to the peer (`channel: "oscp"`, ocpp-oscp.md §4.2).
///
/// Why retrying is safe: the planned `X-Request-ID` is stable per delivery, so a receiver that already
/// processed the message can recognise the repeat. Success is exactly `204 No Content`.
struct DirectOSCPChannel: Sendable {
    let exchange: DirectHTTPExchange

    func send(_ request: StoredDeliveryRequest, token: String?, now: Date) -> ChannelAttempt {
        guard let token else {
            return ChannelAttempt(httpStatus: nil, latency: 0, result: .permanent(reason: "no token configured for this OSCP target", result: nil))
        }
        guard let text = request.url, let url = URL(string: text) else {
            return ChannelAttempt(httpStatus: nil, latency: 0, result: .permanent(reason: "stored request has no valid url", result: nil))
        }
        var headers = request.headers.filter { !["authorization", "content-type"].contains($0.0.lowercased()) }
        headers.append(("Authorization", "Token \(token)"))
        headers.append(("Content-Type", "application/json"))
        if !headers.contains(where: { $0.0.lowercased() == "x-request-id" }) {
            return ChannelAttempt(httpStatus: nil, latency: 0, result: .permanent(reason: "stored request has no X-Request-ID", result: nil))
        }
        let answer = exchange.send(method: request.method, url: url, headers: headers, body: request.bodyBytes, now: now,
                                   accept: { $0 == 204 })
        if let failure = answer.failure {
            if case .permanent(let reason, _) = failure, let status = answer.response?.status, (200...299).contains(status) {
                return ChannelAttempt(httpStatus: status, latency: answer.latency,
                                      result: .permanent(reason: "expected 204 No Content, got HTTP \(status) (\(reason))", result: nil))
            }
            return ChannelAttempt(httpStatus: answer.response?.status, latency: answer.latency, result: failure)
        }
        return ChannelAttempt(httpStatus: answer.response?.status, latency: answer.latency, result: .done(result: nil))
    }
}
