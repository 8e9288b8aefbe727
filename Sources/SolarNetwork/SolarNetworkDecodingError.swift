/// A SolarNetwork response that does not have the expected shape (not JSON, missing `success`, …).
///
/// Why its own type: the message says what was wrong with the response, which the tracker logs; it never
/// contains credentials.
public struct SolarNetworkDecodingError: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
