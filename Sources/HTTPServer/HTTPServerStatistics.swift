import Synchronization

/// A snapshot of the server's counters, for metrics (Prometheus) and tests.
public struct HTTPServerStatistics: Sendable, Equatable {
    public var openConnections: Int
    public var acceptedConnections: Int
    /// Complete requests handed to the handler.
    public var requests: Int
    /// Responses the server generated itself (400, 408, 411, 413, 417, 431, 501, 503, 505) by status.
    public var rejections: [Int: Int]
}

/// The live counters behind `HTTPServerStatistics`, shared by all event loops.
final class StatisticsCounters: Sendable {
    let openConnections = Atomic<Int>(0)
    let acceptedConnections = Atomic<Int>(0)
    let requests = Atomic<Int>(0)
    private let rejections = Mutex<[Int: Int]>([:])

    func reject(status: Int) {
        rejections.withLock { $0[status, default: 0] += 1 }
    }

    var snapshot: HTTPServerStatistics {
        HTTPServerStatistics(openConnections: openConnections.load(ordering: .relaxed),
                             acceptedConnections: acceptedConnections.load(ordering: .relaxed),
                             requests: requests.load(ordering: .relaxed),
                             rejections: rejections.withLock { $0 })
    }
}
