/// A configuration or signing input error (empty secret list, empty or undecodable secret, missing id).
///
/// Why its own type: the message names the problem and the secret's position, never the secret itself,
/// so it is safe to print at start-up and in CLI errors.
public struct WebhookAuthError: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
