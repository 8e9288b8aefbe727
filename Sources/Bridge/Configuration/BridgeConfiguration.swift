import Essentials
import FoundationEssentials
import SmartCharging

/// The whole configuration of one ecbridge instance (design.md §4.2), validated at load.
///
/// Unknown keys and bad values are errors naming the key path, so a typo never silently disables a
/// limit or a target. Secrets stay `SecretReference`s until the component that needs them resolves them.
public struct BridgeConfiguration: Sendable {
    public var listen: ListenSettings
    public var store: StoreSettings
    public var webhooks: [WebhookEndpointSettings]
    public var units: UnitsSettings
    public var energyCoordination: EnergyCoordinationSettings?
    public var solarNetwork: SolarNetworkSettings?
    /// The raw `targets` array; the target registry (SmartCharging) validates it.
    public var targets: [JSON]
    public var log: LogSettings
    /// Outbox delivery, retries and instruction tracking.
    public var delivery = DeliverySettings()
    /// The planner's priority and transaction size.
    public var planner = PlannerSettings()

    public init(listen: ListenSettings = ListenSettings(), store: StoreSettings = StoreSettings(),
                webhooks: [WebhookEndpointSettings] = [], units: UnitsSettings = UnitsSettings(),
                energyCoordination: EnergyCoordinationSettings? = nil, solarNetwork: SolarNetworkSettings? = nil,
                targets: [JSON] = [], log: LogSettings = LogSettings()) {
        self.listen = listen
        self.store = store
        self.webhooks = webhooks
        self.units = units
        self.energyCoordination = energyCoordination
        self.solarNetwork = solarNetwork
        self.targets = targets
        self.log = log
    }

    /// Parses a configuration document.
    public init(json: JSON) throws(ConfigError) {
        var root = try ConfigObject(json, path: "")
        listen = try root.object("listen").map { o throws(ConfigError) in try ListenSettings(o) } ?? ListenSettings()
        store = try root.object("store").map { o throws(ConfigError) in try StoreSettings(o) } ?? StoreSettings()
        webhooks = []
        if let items = try root.array("webhooks") {
            for (index, item) in items.enumerated() {
                webhooks.append(try WebhookEndpointSettings(ConfigObject(item, path: "webhooks[\(index)]")))
            }
        }
        var seenPaths = Set<String>()
        for (index, hook) in webhooks.enumerated() where !seenPaths.insert(hook.path).inserted {
            throw ConfigError(path: "webhooks[\(index)].path", message: "duplicate webhook path \(hook.path)")
        }
        units = try root.object("units").map { o throws(ConfigError) in try UnitsSettings(o) } ?? UnitsSettings()
        energyCoordination = try root.object("energyCoordination").map { o throws(ConfigError) in try EnergyCoordinationSettings(o) }
        solarNetwork = try root.object("solarNetwork").map { o throws(ConfigError) in try SolarNetworkSettings(o) }
        targets = try root.array("targets") ?? []
        log = try root.object("log").map { o throws(ConfigError) in try LogSettings(o) } ?? LogSettings()
        delivery = try root.object("delivery").map { o throws(ConfigError) in try DeliverySettings(o) } ?? DeliverySettings()
        planner = try root.object("planner").map { o throws(ConfigError) in try PlannerSettings(o) } ?? PlannerSettings()
        try root.finish()
        // Validated here so that every configuration error surfaces at load, with its key path.
        _ = try targetRegistry()
    }

    /// The validated target registry of `targets` (errors name `targets[i]…`).
    public func targetRegistry() throws(ConfigError) -> TargetRegistry {
        try TargetRegistry(json: .array(targets), path: "targets")
    }

    /// Loads `path`; with no path, `ecbridge.json` in the working directory if it exists, else the
    /// built-in defaults. Relative paths inside the file stay relative to the working directory.
    public static func load(path: String?) throws(ConfigError) -> BridgeConfiguration {
        let file: String
        if let path {
            file = path
        } else if FileManager.default.fileExists(atPath: "ecbridge.json") {
            file = "ecbridge.json"
        } else {
            return BridgeConfiguration()
        }
        guard let data = FileManager.default.contents(atPath: file) else {
            throw ConfigError(path: "", message: "cannot read configuration file \(file)")
        }
        let json: JSON
        do {
            json = try JSON.parse(data)
        } catch {
            throw ConfigError(path: "", message: "\(file): \(error.description)")
        }
        do {
            return try BridgeConfiguration(json: json)
        } catch {
            throw ConfigError(path: error.path, message: "\(error.message) (in \(file))")
        }
    }
}
