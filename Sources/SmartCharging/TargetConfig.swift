import Essentials
import FoundationEssentials

/// One configured downstream target (`targets[i]`, design.md §4.2): which event targets it answers to,
/// and how to reach it.
///
/// Why separate from the channel settings: matching, naming and reporting (`location`) are the same
/// for every channel; only delivery differs.
public struct TargetConfig: Sendable, Equatable {
    public var name: String?
    public var resourceId: String?
    public var locationId: String?
    public var meterPointId: String?
    /// Coordinates for `VehicleChargeActionPayload` reports.
    public var location: GeoLocation?
    public var settings: ChannelSettings

    public init(name: String? = nil, resourceId: String? = nil, locationId: String? = nil,
                meterPointId: String? = nil, location: GeoLocation? = nil, settings: ChannelSettings) {
        self.name = name
        self.resourceId = resourceId
        self.locationId = locationId
        self.meterPointId = meterPointId
        self.location = location
        self.settings = settings
    }

    public var channel: DeliveryChannel { settings.channel }

    /// The stable identity of this target in ids, keys and logs: `resource:vehicle-1`, `location:loc-7`
    /// or `meterPoint:mp-1` (the first configured of the three). Profile ids and idempotency keys derive
    /// from it, so renaming a target's match key changes them.
    public var key: String {
        if let resourceId { return "resource:\(resourceId)" }
        if let locationId { return "location:\(locationId)" }
        if let meterPointId { return "meterPoint:\(meterPointId)" }
        return "unnamed"
    }

    /// Reads one `targets[i]` object; `config.path` is used in every error.
    public init(reading json: JSON, path: String) throws(ConfigError) {
        var config = try ConfigObject(json, path: path)
        let name = try config.string("name")
        let resourceId = try config.string("resourceId")
        let locationId = try config.string("locationId")
        let meterPointId = try config.string("meterPointId")
        for (key, value) in [("resourceId", resourceId), ("locationId", locationId), ("meterPointId", meterPointId)] {
            if let value, value.isEmpty { throw ConfigError(path: config.childPath(key), message: "must not be empty") }
        }
        guard resourceId != nil || locationId != nil || meterPointId != nil else {
            throw ConfigError(path: path, message: "needs at least one of resourceId, locationId, meterPointId")
        }
        var location: GeoLocation?
        if var geo = try config.object("location") {
            location = try GeoLocation(reading: &geo)
        }
        let channelText = try config.choice("channel", DeliveryChannel.allCases.map(\.rawValue))
        guard let channelText, let channel = DeliveryChannel(rawValue: channelText) else {
            throw ConfigError(path: config.childPath("channel"), message: "is required (one of \(DeliveryChannel.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        let settings: ChannelSettings
        switch channel {
        case .solarNetworkOCPP: settings = .solarNetworkOCPP(try OCPPTargetSettings(reading: &config))
        case .solarNetworkOSCP: settings = .solarNetworkOSCP(try SolarNetworkOSCPSettings(reading: &config))
        case .oscp: settings = .oscp(try DirectOSCPSettings(reading: &config))
        case .greenFlux: settings = .greenFlux(try GreenFluxTargetSettings(reading: &config))
        }
        try config.finish()
        self.init(name: name, resourceId: resourceId, locationId: locationId, meterPointId: meterPointId,
                  location: location, settings: settings)
    }
}

/// The channel-specific part of a target.
public enum ChannelSettings: Sendable, Equatable {
    case solarNetworkOCPP(OCPPTargetSettings)
    case solarNetworkOSCP(SolarNetworkOSCPSettings)
    case oscp(DirectOSCPSettings)
    case greenFlux(GreenFluxTargetSettings)

    public var channel: DeliveryChannel {
        switch self {
        case .solarNetworkOCPP: return .solarNetworkOCPP
        case .solarNetworkOSCP: return .solarNetworkOSCP
        case .oscp: return .oscp
        case .greenFlux: return .greenFlux
        }
    }
}

/// WGS 84 coordinates of a target, carried into reports.
public struct GeoLocation: Sendable, Equatable {
    public var latitude: Decimal
    public var longitude: Decimal

    public init(latitude: Decimal, longitude: Decimal) {
        self.latitude = latitude
        self.longitude = longitude
    }

    init(reading config: inout ConfigObject) throws(ConfigError) {
        guard let latitude = try config.decimal("latitude") else {
            throw ConfigError(path: config.childPath("latitude"), message: "is required")
        }
        guard latitude >= -90, latitude <= 90 else {
            throw ConfigError(path: config.childPath("latitude"), message: "must be between -90 and 90")
        }
        guard let longitude = try config.decimal("longitude") else {
            throw ConfigError(path: config.childPath("longitude"), message: "is required")
        }
        guard longitude >= -180, longitude <= 180 else {
            throw ConfigError(path: config.childPath("longitude"), message: "must be between -180 and 180")
        }
        try config.finish()
        self.init(latitude: latitude, longitude: longitude)
    }
}
