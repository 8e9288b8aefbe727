import EnergyCoordination
import Essentials

/// The configured targets, indexed for matching event targets (design.md §4.2).
///
/// Why an index with duplicate checks: two targets answering to the same resource (or location, or
/// meter point) would make delivery depend on list order; that is rejected when the config is read.
public struct TargetRegistry: Sendable {
    public let targets: [TargetConfig]
    private let byResource: [String: Int]
    private let byLocation: [String: Int]
    private let byMeterPoint: [String: Int]

    /// Builds the registry; throws when two targets share a match key. `paths` name each target in errors
    /// (defaults to `targets[i]`).
    public init(_ targets: [TargetConfig], paths: [String]? = nil) throws(ConfigError) {
        var byResource: [String: Int] = [:], byLocation: [String: Int] = [:], byMeterPoint: [String: Int] = [:]
        func insert(_ value: String?, _ key: String, _ index: Int, into map: inout [String: Int]) throws(ConfigError) {
            guard let value else { return }
            let path = (paths?.indices.contains(index) == true ? paths?[index] : nil) ?? "targets[\(index)]"
            if let first = map[value] {
                throw ConfigError(path: "\(path).\(key)", message: "\"\(value)\" is already used by targets[\(first)]")
            }
            map[value] = index
        }
        for (index, target) in targets.enumerated() {
            try insert(target.resourceId, "resourceId", index, into: &byResource)
            try insert(target.locationId, "locationId", index, into: &byLocation)
            try insert(target.meterPointId, "meterPointId", index, into: &byMeterPoint)
        }
        self.targets = targets
        self.byResource = byResource
        self.byLocation = byLocation
        self.byMeterPoint = byMeterPoint
    }

    /// Reads the config's `targets` array (`json` is that array; `nil` or absent = no targets).
    public init(json: JSON?, path: String = "targets") throws(ConfigError) {
        guard let json, !json.isNull else {
            try self.init([])
            return
        }
        guard case let .array(items) = json else {
            throw ConfigError(path: path, message: "expected an array, found \(json.typeName)")
        }
        var targets: [TargetConfig] = []
        var paths: [String] = []
        for (index, item) in items.enumerated() {
            let itemPath = "\(path)[\(index)]"
            targets.append(try TargetConfig(reading: item, path: itemPath))
            paths.append(itemPath)
        }
        try self.init(targets, paths: paths)
    }

    /// The target for an event target: by `resourceId`, else `locationId`, else `meterPointId`.
    public func match(_ target: EventTarget) -> TargetConfig? {
        matchWithKey(target)?.config
    }

    /// Which event identifier matched a configured target.
    public enum MatchedBy: String, Sendable, Equatable {
        case resourceId, locationId, meterPointId
    }

    /// Like `match`, also saying which identifier matched (the `map` output names that one).
    /// `resourcesOnly` refuses the location/meter-point fallback (used for per-resource caps).
    public func matchWithKey(_ target: EventTarget, resourcesOnly: Bool = false)
        -> (config: TargetConfig, matchedBy: MatchedBy, value: String)? {
        if let id = target.resourceId, let index = byResource[id] { return (targets[index], .resourceId, id) }
        if resourcesOnly { return nil }
        if let id = target.locationId, let index = byLocation[id] { return (targets[index], .locationId, id) }
        if let id = target.meterPointId, let index = byMeterPoint[id] { return (targets[index], .meterPointId, id) }
        return nil
    }
}
