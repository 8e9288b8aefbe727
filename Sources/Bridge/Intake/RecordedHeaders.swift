import Essentials
import HTTPServer

/// The request headers kept with an inbox or quarantine row: enough to trace a delivery, never a
/// signature or credential.
enum RecordedHeaders {
    static let names = [
        "content-type", "content-length", "user-agent", "webhook-id", "webhook-timestamp", "svix-id",
        "x-github-delivery", "x-request-id", "x-forwarded-for", "x-correlation-id",
    ]

    static func json(_ headers: HTTPHeaders, remoteAddress: String) -> String {
        var members: [(String, JSON)] = [("remoteAddress", .string(remoteAddress))]
        for name in names {
            if let value = headers[name] { members.append((name, .string(value))) }
        }
        return JSON.object(members).compactText
    }
}
