/// Bounds on what a peer may send back. A misbehaving or hostile endpoint must not make a delivery
/// worker buffer without limit.
public struct HTTPClientLimits: Sendable, Equatable {
    /// Status line plus headers (and, for chunked bodies, the trailer section).
    public var maxHeadBytes: Int
    /// Number of header fields in one response head.
    public var maxHeaderCount: Int
    /// The decoded body.
    public var maxBodyBytes: Int

    /// 64 KiB of head, 100 fields, 16 MiB of body: far above anything SolarNetwork, OSCP or the Energy
    /// Coordination API send.
    public init(maxHeadBytes: Int = 65_536, maxHeaderCount: Int = 100, maxBodyBytes: Int = 16 * 1_048_576) {
        self.maxHeadBytes = maxHeadBytes
        self.maxHeaderCount = maxHeaderCount
        self.maxBodyBytes = maxBodyBytes
    }
}
