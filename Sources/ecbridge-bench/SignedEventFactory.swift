import Foundation
import WebhookAuth

/// Builds unique, signed ec-v1 `CurrentLevel` notifications as complete HTTP/1.1 requests, before any
/// timed window, so that neither JSON building nor HMAC signing is part of what the bench measures.
///
/// Every body has its own `notificationId` and event id (`<runId>-<index>`), so each request is a new
/// inbox row (dedupe keys never collide, also across runs against one store).
struct SignedEventFactory: Sendable {
    var target: TargetURL
    var scheme: WebhookScheme
    var secret: String
    var bodySize: Int
    var runId: String
    /// Resource ids put in `targetResources` (they decide how much planning each event causes).
    var resources: [String] = ["vehicle-1", "vehicle-2"]

    func notificationId(_ index: Int) -> String { "\(runId)-n\(index)" }

    func body(_ index: Int) -> [UInt8] {
        let targets = resources.enumerated().map { offset, resource in
            offset == 0 ? "{\"resourceId\":\"\(resource)\",\"locationId\":\"loc-7\"}" : "{\"resourceId\":\"\(resource)\"}"
        }.joined(separator: ",")
        let head = "{\"operationType\":\"Create\",\"subscriptionId\":\"5d1f7b2a-3c4e-4f60-8a91-b2c3d4e5f601\","
            + "\"notificationId\":\"\(notificationId(index))\",\"event\":{\"id\":\"\(runId)-e\(index)\",\"name\":\""
        let tail = "\",\"priority\":0,\"programId\":\"prog-1\",\"reportDescriptors\":[{\"payloadType\":\"VehicleChargeAction\","
            + "\"targetResources\":[\(resources.map { "\"\($0)\"" }.joined(separator: ","))]}],"
            + "\"targetResources\":[\(targets)],"
            + "\"intervalPeriod\":{\"start\":\"2026-03-03T16:00:00Z\",\"duration\":\"02:00:00\"},"
            + "\"payload\":{\"payloadType\":\"CurrentLevel\",\"targetCurrent\":\(10 + index % 7)},"
            + "\"createdDateTime\":\"2026-03-03T12:00:00Z\",\"modificationDateTime\":\"2026-03-03T12:00:00Z\"}}"
        let padding = max(1, bodySize - head.utf8.count - tail.utf8.count)
        let name = "Bench cap " + String(repeating: "x", count: max(0, padding - 10))
        return Array((head + name + tail).utf8)
    }

    /// The complete request bytes for event `index`.
    func request(_ index: Int, timestamp: Int) throws -> [UInt8] {
        let body = body(index)
        let signature = try WebhookSigner.headers(scheme: scheme, secret: secret, body: body,
                                                  id: notificationId(index), timestamp: timestamp)
        var head = "POST \(target.path) HTTP/1.1\r\nHost: \(target.authority)\r\nContent-Type: application/json\r\n"
            + "Content-Length: \(body.count)\r\n"
        for (name, value) in signature { head += "\(name): \(value)\r\n" }
        head += "\r\n"
        return Array(head.utf8) + body
    }

    /// `count` requests in one contiguous buffer.
    func pool(count: Int, first: Int = 0) throws -> RequestPool {
        let timestamp = Int(Date().timeIntervalSince1970)
        var pool = RequestPool()
        pool.reserve(count: count, bytesEach: bodySize + 400)
        for index in first ..< first + count {
            pool.append(try request(index, timestamp: timestamp))
        }
        return pool
    }

    /// A fresh run id: time-based and random, so two runs never share dedupe keys.
    static func makeRunId() -> String {
        "bench-\(String(UInt64(Date().timeIntervalSince1970 * 1000), radix: 36))-\(String(UInt32.random(in: 0...UInt32.max), radix: 36))"
    }
}

/// Pre-built requests stored back to back (one allocation instead of one per request).
struct RequestPool: Sendable {
    private(set) var bytes: [UInt8] = []
    private(set) var offsets: [Int] = [0]

    var count: Int { offsets.count - 1 }

    mutating func reserve(count: Int, bytesEach: Int) {
        bytes.reserveCapacity(count * bytesEach)
        offsets.reserveCapacity(count + 1)
    }

    mutating func append(_ request: [UInt8]) {
        bytes.append(contentsOf: request)
        offsets.append(bytes.count)
    }

    func range(_ index: Int) -> Range<Int> { offsets[index] ..< offsets[index + 1] }
}
