import FoundationEssentials

/// Sends one outbound HTTP request for the delivery channels: `(method, url, headers, body)`. Throws when
/// no HTTP answer arrived.
///
/// Why a closure: `serve` passes the blocking `OutboundHTTPClient`; tests may wrap it (e.g. to lose an
/// answer) without a network trick.
public typealias DeliveryTransport =
    @Sendable (_ method: String, _ url: URL, _ headers: [(String, String)], _ body: [UInt8]?) throws -> OutboundHTTPClient.Response

/// Everything the delivery workers take from outside besides the configuration, replaceable in tests.
public struct DeliveryDependencies: Sendable {
    /// Retry jitter; seed it for reproducible schedules.
    public var jitter: JitterSource
    /// `nil`: an `OutboundHTTPClient` with `delivery.requestTimeout`.
    public var transport: DeliveryTransport?
    public var now: @Sendable () -> Date

    public init(jitter: JitterSource = JitterSource(), transport: DeliveryTransport? = nil,
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.jitter = jitter
        self.transport = transport
        self.now = now
    }
}
