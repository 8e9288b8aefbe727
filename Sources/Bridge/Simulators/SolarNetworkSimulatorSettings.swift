/// What the SolarNetwork stand-in knows: the token it accepts, the nodes and OCPP/OSCP entities of that
/// token's user, and how fast instructions progress. The defaults match `samples/config.json` so
/// `ecbridge simulate solarnetwork` works with the sample configuration as is.
public struct SolarNetworkSimulatorSettings: Sendable {
    /// An OCPP charger entity (`/user/ocpp/chargers`).
    public struct Charger: Sendable, Equatable {
        /// The entity id (the `chargePointId` instruction parameter).
        public var id: Int64
        public var nodeId: Int64
        /// The OCPP identity (`info.id`, the `chargerIdentifier` parameter).
        public var identifier: String
        public var enabled: Bool
        /// `Unknown`, `Pending`, `Accepted` or `Rejected`.
        public var registrationStatus: String
        public var connectorCount: Int
        /// The `status` the charger answers to every action (`Accepted`, `Rejected`, `NotSupported`).
        public var resultStatus: String

        public init(id: Int64, nodeId: Int64, identifier: String, enabled: Bool = true,
                    registrationStatus: String = "Accepted", connectorCount: Int = 2, resultStatus: String = "Accepted") {
            self.id = id
            self.nodeId = nodeId
            self.identifier = identifier
            self.enabled = enabled
            self.registrationStatus = registrationStatus
            self.connectorCount = connectorCount
            self.resultStatus = resultStatus
        }
    }

    /// An OSCP capacity optimizer entity (`configId` is the `coId` parameter).
    public struct CapacityOptimizer: Sendable, Equatable {
        public var configId: Int64
        public var name: String
        public var enabled: Bool

        public init(configId: Int64, name: String, enabled: Bool = true) {
            self.configId = configId
            self.name = name
            self.enabled = enabled
        }
    }

    /// An OSCP capacity group entity (`identifier` is the `cgIdentifier` parameter).
    public struct CapacityGroup: Sendable, Equatable {
        public var configId: Int64
        public var identifier: String
        public var name: String
        public var enabled: Bool
        public var capacityOptimizerId: Int64
        public var capacityProviderId: Int64

        public init(configId: Int64, identifier: String, name: String, enabled: Bool = true,
                    capacityOptimizerId: Int64, capacityProviderId: Int64 = 1) {
            self.configId = configId
            self.identifier = identifier
            self.name = name
            self.enabled = enabled
            self.capacityOptimizerId = capacityOptimizerId
            self.capacityProviderId = capacityProviderId
        }
    }

    /// Default `sample-token` (as samples/config.json).
    public var token: String
    /// Default `sample-token-secret` (as samples/config.json).
    public var secret: String
    /// The user id `whoami` reports and entities carry. Default 1.
    public var userId: Int64
    /// Nodes owned by the user; an instruction for another node is refused 403. Default [123].
    public var nodeIds: [Int64]
    /// Default: charger 5 on node 123, identity `CP-5`, enabled, `Accepted`, answers `Accepted`.
    public var chargers: [Charger]
    /// Default: configId 1, enabled.
    public var capacityOptimizers: [CapacityOptimizer]
    /// Default: `foo-group` (configId 1), enabled, linked to optimizer 1.
    public var capacityGroups: [CapacityGroup]
    /// An instruction moves one state further every this many times it is read (view, list, pending).
    /// Default 1.
    public var pollsPerStep: Int
    /// When set, an instruction also moves one state further every this many seconds. Default nil (off).
    public var secondsPerStep: Double?
    /// Allowed SNWS2 clock skew in seconds. Default 900.
    public var maxDateSkew: Double

    public init(token: String = "sample-token", secret: String = "sample-token-secret", userId: Int64 = 1,
                nodeIds: [Int64] = [123],
                chargers: [Charger] = [Charger(id: 5, nodeId: 123, identifier: "CP-5")],
                capacityOptimizers: [CapacityOptimizer] = [CapacityOptimizer(configId: 1, name: "Optimizer 1")],
                capacityGroups: [CapacityGroup] = [CapacityGroup(configId: 1, identifier: "foo-group", name: "Foo group",
                                                                 capacityOptimizerId: 1)],
                pollsPerStep: Int = 1, secondsPerStep: Double? = nil, maxDateSkew: Double = 900) {
        self.token = token
        self.secret = secret
        self.userId = userId
        self.nodeIds = nodeIds
        self.chargers = chargers
        self.capacityOptimizers = capacityOptimizers
        self.capacityGroups = capacityGroups
        self.pollsPerStep = pollsPerStep
        self.secondsPerStep = secondsPerStep
        self.maxDateSkew = maxDateSkew
    }
}
