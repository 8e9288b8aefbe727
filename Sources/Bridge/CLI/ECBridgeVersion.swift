/// The version printed by `ecbridge version` and sent as `User-Agent: ecbridge/<version>`.
public enum ECBridgeVersion {
    public static let current = "0.1.0"
}
