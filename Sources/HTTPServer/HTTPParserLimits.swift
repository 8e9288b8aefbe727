/// The byte and count limits the request parser enforces; a separate value so the parser can be tested
/// (and fuzzed) without a server configuration.
public struct HTTPParserLimits: Sendable, Equatable {
    public var maxHeaderBytes: Int
    public var maxHeaderCount: Int
    public var maxBodyBytes: Int
    public var maxChunkLineBytes: Int

    public init(maxHeaderBytes: Int = 16_384, maxHeaderCount: Int = 100, maxBodyBytes: Int = 1_048_576,
                maxChunkLineBytes: Int = 4_096) {
        self.maxHeaderBytes = maxHeaderBytes
        self.maxHeaderCount = maxHeaderCount
        self.maxBodyBytes = maxBodyBytes
        self.maxChunkLineBytes = maxChunkLineBytes
    }
}
