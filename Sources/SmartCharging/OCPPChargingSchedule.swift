import Essentials
import FoundationEssentials

/// A charging schedule as both OCPP versions write it (`chargingSchedule`), with limits kept as `Decimal`.
///
/// Why one type for 1.6 and 2.0.1: the fields are the same; only the surrounding message differs
/// (2.0.1 wraps schedules in an array and gives each an `id`).
public struct OCPPChargingSchedule: Sendable, Equatable {
    /// One `chargingSchedulePeriod` entry.
    public struct Period: Sendable, Equatable {
        /// Seconds from `startSchedule`; the first is 0.
        public var startPeriod: Int
        /// In the schedule's rate unit; at most one fraction digit on the wire.
        public var limit: Decimal
        /// Written when not 3 (3 is assumed when absent, OCPP 1.6 §7.14).
        public var numberPhases: Int?

        public init(startPeriod: Int, limit: Decimal, numberPhases: Int? = nil) {
            self.startPeriod = startPeriod
            self.limit = limit
            self.numberPhases = numberPhases
        }

        public var json: JSON {
            var members: [(String, JSON)] = [("startPeriod", .int(startPeriod)), ("limit", OCPPLimitText.json(limit))]
            if let numberPhases { members.append(("numberPhases", .int(numberPhases))) }
            return .object(members)
        }
    }

    public var startSchedule: Date
    /// Seconds; `nil` = the last period holds indefinitely.
    public var duration: Int?
    public var rateUnit: ChargingRateUnit
    public var periods: [Period]
    public var minChargingRate: Decimal?

    public init(startSchedule: Date, duration: Int?, rateUnit: ChargingRateUnit, periods: [Period],
                minChargingRate: Decimal? = nil) {
        self.startSchedule = startSchedule
        self.duration = duration
        self.rateUnit = rateUnit
        self.periods = periods
        self.minChargingRate = minChargingRate
    }

    /// The members in wire order; `id` is the 2.0.1 schedule id (absent in 1.6).
    func json(id: Int?) -> JSON {
        var members: [(String, JSON)] = []
        members.reserveCapacity(6)
        if let id { members.append(("id", .int(id))) }
        members.append(("startSchedule", .string(Timestamp.format(startSchedule))))
        if let duration { members.append(("duration", .int(duration))) }
        members.append(("chargingRateUnit", .string(rateUnit.rawValue)))
        members.append(("chargingSchedulePeriod", .array(periods.map(\.json))))
        if let minChargingRate { members.append(("minChargingRate", OCPPLimitText.json(minChargingRate))) }
        return .object(members)
    }
}

/// How OCPP limits are written: always exactly one fraction digit (`16.1`, `10.0`, `6900.0`).
///
/// Why fixed: OCPP 1.6 says "at most one digit fraction" and puts `multipleOf 0.1` in the schema; a fixed
/// form is easy to check in logs and golden files, and the value is first rounded DOWN so the text can
/// never exceed the cap or carry binary noise.
public enum OCPPLimitText {
    public static func text(_ limit: Decimal) -> String {
        FastCapArithmetic.ocppLimitText(limit) ?? DecimalReference.ocppLimitText(limit)
    }

    public static func json(_ limit: Decimal) -> JSON { .number(text(limit)) }
}
