import Essentials
import Foundation
import WebhookAuth

/// Unique signed notifications for the end-to-end runs, cycling through three kinds so every channel is
/// used: an ec-v1 `CurrentLevel` for vehicle-1 and vehicle-2 (SolarNetwork OCPP and OSCP instructions),
/// an ec-2024 `LocationLPC` for loc-7 and loc-9 (direct OSCP and GreenFlux), and an ec-2024 `ResourceLPC`
/// for vehicle-1 and vehicle-2.
///
/// Why disjoint windows: event k covers `[origin + k h, origin + k h + 1 h)`, in the future, so no
/// delivery overlaps another. A GreenFlux group's final scenario list must then be exactly the union of
/// every delivered entry, and each SolarNetwork instruction is told apart by its message.
struct E2EEventFactory: Sendable {
    enum Kind: Int, CaseIterable, Sendable {
        case currentLevel, locationLPC, resourceLPC
    }

    var runId: String
    var secret: String
    var target: TargetURL
    /// Start of event 0's window (a whole hour at least a day ahead).
    var origin: Date
    /// Which kinds to cycle through (the latency bench uses `currentLevel` only).
    var kinds: [Kind] = Kind.allCases
    /// Targets of the `currentLevel` kind.
    var vehicles = ["vehicle-1", "vehicle-2"]
    /// When set, a `currentLevel` event k targets only `vehicle-<k mod spread + 1>` (the latency bench
    /// spreads events over many chargers so per-target ordering does not queue them).
    var spread: Int?
    /// Seconds between two events' window starts (windows last one hour; disjoint at 3600).
    var windowStep: Double = 3600

    init(runId: String, secret: String, target: TargetURL, kinds: [Kind] = Kind.allCases, now: Date = Date()) {
        self.runId = runId
        self.secret = secret
        self.target = target
        self.kinds = kinds
        origin = Date(timeIntervalSince1970: (floor(now.timeIntervalSince1970 / 3600) + 25) * 3600)
    }

    func kind(_ index: Int) -> Kind { kinds[index % kinds.count] }
    func notificationId(_ index: Int) -> String { "\(runId)-n\(index)" }
    func eventId(_ index: Int) -> String { "\(runId)-e\(index)" }
    /// The index encoded in an event id of this run, if it is one.
    func index(ofEventId id: String) -> Int? {
        guard id.hasPrefix(runId + "-e") else { return nil }
        return Int(id.dropFirst(runId.count + 2))
    }

    func windowStart(_ index: Int) -> Date { origin.addingTimeInterval(Double(index) * windowStep) }

    /// The event index whose window starts at `start`.
    func index(ofWindowStart start: Date) -> Int {
        Int((start.timeIntervalSince(origin) / windowStep).rounded())
    }

    /// The notification body exactly as it is sent.
    func body(_ index: Int) -> [UInt8] {
        let start = windowStart(index)
        let startText = Timestamp.format(start)
        let created = Timestamp.format(Date(timeIntervalSince1970: 1_772_000_000))
        switch kind(index) {
        case .currentLevel:
            let vehicles = spread.map { ["vehicle-\(index % max(1, $0) + 1)"] } ?? self.vehicles
            let resources = vehicles.map { "\"\($0)\"" }.joined(separator: ",")
            let targets = vehicles.map { "{\"resourceId\":\"\($0)\"}" }.joined(separator: ",")
            return Array("""
                {"operationType":"Create","subscriptionId":"5d1f7b2a-3c4e-4f60-8a91-b2c3d4e5f601",\
                "notificationId":"\(notificationId(index))","event":{"id":"\(eventId(index))","name":"E2E cap \(index)",\
                "priority":0,"programId":"prog-1","reportDescriptors":[{"payloadType":"VehicleChargeAction","targetResources":[\(resources)]}],\
                "targetResources":[\(targets)],"intervalPeriod":{"start":"\(startText)","duration":"01:00:00"},\
                "payload":{"payloadType":"CurrentLevel","targetCurrent":\(6 + index % 20)},\
                "createdDateTime":"\(created)","modificationDateTime":"\(created)"}}
                """.utf8)
        case .locationLPC:
            return lpc(index, type: "LocationLPC", notification: "LocationLPCRequested", targets: [
                "{\"locationId\":\"loc-7\",\"meterPointId\":\"707057500012345678\",\(points(start, first: 11 + index % 9, second: 7))}",
                "{\"locationId\":\"loc-9\",\"meterPointId\":\"707057500087654321\",\(points(start, first: 20 + index % 13, second: 16))}",
            ])
        case .resourceLPC:
            return lpc(index, type: "ResourceLPC", notification: "ResourceLPCRequested", targets: [
                "{\"locationId\":\"loc-7\",\"meterPointId\":\"707057500012345678\",\"resourceId\":\"vehicle-1\",\(points(start, first: 7, second: 4 + index % 5))}",
                "{\"locationId\":\"loc-8\",\"meterPointId\":\"707057500011112222\",\"resourceId\":\"vehicle-2\",\(points(start, first: 11, second: 5 + index % 4))}",
            ])
        }
    }

    private func points(_ start: Date, first: Int, second: Int) -> String {
        "\"resolution\":\"00:30:00\",\"points\":[{\"maxPowerInKiloWatts\":\(first),\"timestamp\":\"\(Timestamp.format(start))\"},"
            + "{\"maxPowerInKiloWatts\":\(second),\"timestamp\":\"\(Timestamp.format(start.addingTimeInterval(1800)))\"}]"
    }

    private func lpc(_ index: Int, type: String, notification: String, targets: [String]) -> [UInt8] {
        let created = Timestamp.format(Date(timeIntervalSince1970: 1_772_000_000 + Double(index)))
        return Array("""
            {"notificationId":"\(notificationId(index))","eventId":"\(eventId(index))","eventCreatedAtUtc":"\(created)",\
            "notificationSentUtc":"\(created)","notificationType":"\(notification)",\
            "payload":{"targets":[\(targets.joined(separator: ","))],"payloadType":"\(type)"}}
            """.utf8)
    }

    /// The complete request bytes (spark scheme: `X-Payload-Signature`), on a fresh connection.
    func request(_ index: Int) throws -> [UInt8] {
        let body = body(index)
        let signature = try WebhookSigner.headers(scheme: .spark, secret: secret, body: body, id: notificationId(index),
                                                  timestamp: Int(Date().timeIntervalSince1970))
        var head = "POST \(target.path) HTTP/1.1\r\nHost: \(target.authority)\r\nContent-Type: application/json\r\n"
            + "Content-Length: \(body.count)\r\nConnection: close\r\n"
        for (name, value) in signature { head += "\(name): \(value)\r\n" }
        return Array((head + "\r\n").utf8) + body
    }
}
