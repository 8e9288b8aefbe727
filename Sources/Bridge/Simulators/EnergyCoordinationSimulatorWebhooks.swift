import Dispatch
import Essentials
import FoundationEssentials
import Synchronization
import WebhookAuth
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One webhook notification the Energy Coordination stand-in sent (or lost), with every attempt's status.
public struct EnergyCoordinationSimulatorNotification: Sendable, Equatable {
    public var notificationId: String
    public var subscriptionId: String
    public var eventId: String
    public var url: String
    /// HTTP status of each attempt; -1 when no answer arrived.
    public var attempts: [Int]
    /// Answered 200 at some attempt.
    public var delivered: Bool
    /// Never sent (the lose-webhook fault).
    public var lost: Bool
    /// Retries exhausted without a 200.
    public var abandoned: Bool
}

/// Sends signed webhooks the way Spark does: POST the JSON body with `X-Payload-Signature` (Base64
/// HMAC-SHA256 of the body with the registration's secret as UTF-8 key); anything but 200 is retried up to
/// `webhookRetries` times with exponential backoff, then dropped (the event stays in `GET /events`).
final class EnergyCoordinationSimulatorWebhooks: Sendable {
    private let settings: EnergyCoordinationSimulatorSettings
    private let client: OutboundHTTPClient
    private let logger: Logger?
    private let records = Mutex<[EnergyCoordinationSimulatorNotification]>([])
    private let inFlight = Atomic<Int>(0)
    private let queue = DispatchQueue(label: "ecbridge.simulator.energy-coordination.webhooks", attributes: .concurrent)

    init(settings: EnergyCoordinationSimulatorSettings, logger: Logger?) {
        self.settings = settings
        self.logger = logger
        client = OutboundHTTPClient(timeout: settings.webhookTimeout)
    }

    var all: [EnergyCoordinationSimulatorNotification] { records.withLock { $0 } }
    var pending: Int { inFlight.load(ordering: .acquiring) }

    /// Records the notification as lost: nothing is sent.
    func lose(notificationId: String, subscriptionId: String, eventId: String, url: String) {
        records.withLock {
            $0.append(EnergyCoordinationSimulatorNotification(notificationId: notificationId, subscriptionId: subscriptionId,
                                                              eventId: eventId, url: url, attempts: [], delivered: false,
                                                              lost: true, abandoned: false))
        }
        logger?.info("webhook lost (fault)", [("notificationId", notificationId), ("subscription", subscriptionId)])
    }

    /// Sends `body` to `url` in the background, signed with `secret` when there is one.
    func send(body: JSON, notificationId: String, subscriptionId: String, eventId: String, url: String, secret: String?) {
        let bytes = Array(body.compactText.utf8)
        var headers = [("Content-Type", "application/json")]
        if let secret, !secret.isEmpty {
            headers.append(("X-Payload-Signature", Base64.encode(HMACSHA256.mac(key: Array(secret.utf8), message: bytes))))
        }
        let index = records.withLock { list -> Int in
            list.append(EnergyCoordinationSimulatorNotification(notificationId: notificationId, subscriptionId: subscriptionId,
                                                                eventId: eventId, url: url, attempts: [], delivered: false,
                                                                lost: false, abandoned: false))
            return list.count - 1
        }
        inFlight.add(1, ordering: .releasing)
        attempt(number: 0, bytes: bytes, headers: headers, url: url, index: index)
    }

    private func attempt(number: Int, bytes: [UInt8], headers: [(String, String)], url: String, index: Int) {
        queue.async { [self] in
            var status = -1
            if let target = URL(string: url) {
                status = (try? client.send(method: "POST", url: target, headers: headers, body: bytes))?.status ?? -1
            }
            let delivered = status == 200
            let giveUp = !delivered && number >= settings.webhookRetries
            records.withLock { list in
                list[index].attempts.append(status)
                list[index].delivered = delivered
                list[index].abandoned = giveUp
            }
            logger?.info("webhook sent", [("notificationId", all[index].notificationId), ("attempt", String(number + 1)),
                                          ("status", String(status))])
            if delivered || giveUp {
                inFlight.add(-1, ordering: .releasing)
                return
            }
            let delay = settings.webhookRetryDelay * Double(1 << min(number, 20))
            queue.asyncAfter(deadline: .now() + delay) { [self] in
                attempt(number: number + 1, bytes: bytes, headers: headers, url: url, index: index)
            }
        }
    }

    /// Waits until every notification is delivered or abandoned; false on timeout.
    func waitUntilIdle(timeout: Double) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while pending > 0 {
            if Date() > deadline { return false }
            usleep(10_000)
        }
        return true
    }
}
