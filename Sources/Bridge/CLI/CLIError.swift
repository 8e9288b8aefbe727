/// A failure a verb reports as one line on standard error with a non-zero exit status.
public struct CLIError: Error, CustomStringConvertible, Sendable {
    public var description: String
    /// 1 = operation failed, 2 = usage error.
    public var exitCode: Int32

    public init(_ description: String, exitCode: Int32 = 1) {
        self.description = description
        self.exitCode = exitCode
    }

    public static func usage(_ description: String) -> CLIError { CLIError(description, exitCode: 2) }
}
