import FoundationEssentials

/// How `ecbridge doctor` runs: offline or not, how long one network call may take, and where secrets
/// named by environment variable are looked up.
///
/// Why a setting for the timeout: `doctor` runs in deploy scripts and must never hang on an unreachable
/// host; every call it makes is bounded by `callTimeout`.
public struct DoctorOptions: Sendable {
    /// Skip every check that needs the network (SolarNetwork, Energy Coordination). Default `false`.
    public var offline: Bool
    /// Seconds one outbound call may take (connect + answer). Default 10.
    public var callTimeout: Double
    /// Environment for `{"env": NAME}` secrets. Default: the process environment.
    public var environment: [String: String]

    public static let defaultCallTimeout = 10.0

    public init(offline: Bool = false, callTimeout: Double = DoctorOptions.defaultCallTimeout,
                environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.offline = offline
        self.callTimeout = callTimeout
        self.environment = environment
    }
}
