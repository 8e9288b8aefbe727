import EnergyCoordination
import Essentials
import Foundation
@testable import SmartCharging

/// A seeded, platform-independent PRNG (SplitMix64) so property tests replay the same cases everywhere.
typealias SeededGenerator = SeededRandom

extension SeededRandom {
    /// A decimal with `digits` fraction digits in `0…max`.
    mutating func decimal(max: Int, digits: Int) -> Decimal {
        let scale = Int(pow(10, Double(digits)))
        let raw = Int.random(in: 0...(max * scale), using: &self)
        return Decimal(raw) / Decimal(scale)
    }
}

enum Fixture {
    static let t0 = Date(timeIntervalSince1970: 1_704_124_800) // 2024-01-01T16:00:00Z

    /// Parses a JSON array of targets into a registry (the test fails on a config error).
    static func registry(_ text: String) throws -> TargetRegistry {
        try TargetRegistry(json: try JSON.parse(text))
    }

    /// The config error message for a `targets` array, or nil if it is accepted.
    static func configError(_ text: String) -> String? {
        do {
            _ = try TargetRegistry(json: try JSON.parse(text))
            return nil
        } catch let error as ConfigError {
            return error.description
        } catch {
            return "parse: \(error)"
        }
    }

    static func event(id: String = "evt-1", operation: EventOperation? = .create, payloadType: String = "CurrentLevel",
                      priority: Int? = nil, targets: [EventTarget]) -> CoordinationEvent {
        CoordinationEvent(id: id, dialect: .ecV1, operation: operation, payloadType: payloadType, isMappable: true,
                          priority: priority, targets: targets)
    }

    static func schedule(_ cap: Cap, start: ScheduleStart = .at(t0), duration: Int? = 7200,
                         randomizeStart: Int = 0) -> CapSchedule {
        CapSchedule(start: start, duration: duration, randomizeStart: randomizeStart,
                    periods: [CapSchedule.Period(offset: 0, cap: cap)])
    }

    static func ocppTarget(_ extra: String = "", rateUnit: String = "A", id: String = "vehicle-1") -> String {
        """
        {"resourceId": "\(id)", "channel": "solarnetwork-ocpp", "nodeId": 123, "chargePointId": 5,
         "connectorId": 1, "rateUnit": "\(rateUnit)", "maxCurrent": 32\(extra)}
        """
    }

    /// The OCPP message carried as a string in a SolarNetwork instruction body.
    static func message(_ delivery: PlannedDelivery) throws -> JSON {
        guard let text = delivery.body["params"]?["msg"]?.stringValue else { throw Failure("no params.msg") }
        return try JSON.parse(text)
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ d: String) { description = d }
    }
}
