import EnergyCoordination
import FoundationEssentials

/// The cap rules of `CapLimits`, `AppliedCap` and `OCPPLimitText` computed with `ScaledDecimal` integers.
///
/// Why: the same rules as `DecimalReference`, without Foundation `Decimal` arithmetic (which allocates
/// for every multiply, divide and round). Every function answers `nil` when a value does not fit, and
/// the caller then uses `DecimalReference`, so results are identical. Quotients are exact here but
/// rounded to 38 digits by `Decimal`; for operands that fit 64 bits the two can never fall on different
/// sides of a 0.1 or 1 boundary (the exact quotient is either on it or at least 1/denominator away),
/// which the seeded oracle tests confirm.
enum FastCapArithmetic {
    /// `voltage × phases` when positive.
    @inline(__always)
    static func wattsPerAmp(_ e: ElectricalConversion) -> ScaledDecimal? {
        guard let voltage = ScaledDecimal(e.voltage), let perAmp = ScaledDecimal.product(voltage, e.phases),
              perAmp.units > 0 else { return nil }
        return perAmp
    }

    /// The cap in amps per phase, rounded toward −∞ to 0.1.
    @inline(__always)
    static func ampsFloorTenth(_ cap: CapValue, _ perAmp: ScaledDecimal) -> ScaledDecimal? {
        switch cap {
        case let .amps(a): return ScaledDecimal(a)?.floor(digits: 1)
        case let .watts(w): return ScaledDecimal(w).flatMap { ScaledDecimal.floorQuotient($0, perAmp, digits: 1) }
        }
    }

    /// The cap in total watts (exact).
    @inline(__always)
    static func watts(_ cap: CapValue, _ perAmp: ScaledDecimal) -> ScaledDecimal? {
        switch cap {
        case let .amps(a): return ScaledDecimal(a).flatMap { ScaledDecimal.product($0, perAmp) }
        case let .watts(w): return ScaledDecimal(w)
        }
    }

    /// `value`, or zero at the same scale when it is not positive (`CapRounding` never goes below 0).
    @inline(__always)
    static func atLeastZero(_ value: ScaledDecimal) -> ScaledDecimal {
        value.units < 0 ? ScaledDecimal(units: 0, scale: value.scale) : value
    }

    static func ocpp(_ cap: CapValue, _ target: OCPPTargetSettings) -> CapLimits.OCPPLimit? {
        let e = target.electrical
        guard let perAmp = wattsPerAmp(e), let maxCurrent = ScaledDecimal(target.maxCurrent),
              let minCurrent = ScaledDecimal(target.minCurrent) else { return nil }
        var maxPower: ScaledDecimal?
        if let power = target.maxPower {
            guard let exact = ScaledDecimal(power) else { return nil }
            maxPower = exact
        }
        // e.amps(cap) > 0 ⇔ the cap is positive (watts per amp is positive here).
        let capValue: ScaledDecimal?
        switch cap {
        case let .amps(a): capValue = ScaledDecimal(a)
        case let .watts(w): capValue = ScaledDecimal(w)
        }
        guard let positive = capValue.map({ $0.units > 0 }) else { return nil }
        let minimumAllowed = target.belowMinimum == .minimum
        let limit: ScaledDecimal
        let applied: AppliedCap
        switch target.rateUnit {
        case .amps:
            // ⌊min(cap, max)⌋ = min(⌊cap⌋, ⌊max⌋), so each bound is rounded on its own.
            guard let capFloor = ampsFloorTenth(cap, perAmp), let maxFloor = maxCurrent.floor(digits: 1),
                  var capped = ScaledDecimal.min(capFloor, maxFloor) else { return nil }
            if let maxPower {
                guard let powerFloor = ScaledDecimal.floorQuotient(maxPower, perAmp, digits: 1),
                      let lower = ScaledDecimal.min(capped, powerFloor) else { return nil }
                capped = lower
            }
            capped = atLeastZero(capped)
            guard let belowMinimum = ScaledDecimal.compare(capped, minCurrent) else { return nil }
            if positive && belowMinimum < 0 {
                guard let raised = minCurrent.ceiling(digits: 1) else { return nil }
                var allowed = minimumAllowed
                if allowed {
                    guard let order = ScaledDecimal.compare(raised, maxCurrent) else { return nil }
                    allowed = order <= 0
                }
                if allowed, let maxPower {
                    // raised ≤ maxPower ÷ perAmp ⇔ raised × perAmp ≤ maxPower.
                    guard let raisedWatts = ScaledDecimal.product(raised, perAmp),
                          let order = ScaledDecimal.compare(raisedWatts, maxPower) else { return nil }
                    allowed = order <= 0
                }
                limit = allowed ? raised : ScaledDecimal(units: 0, scale: 1)
            } else {
                limit = capped
            }
            guard let cap = appliedCap(amps: limit, perAmp: perAmp, e) else { return nil }
            applied = cap
        case .watts:
            guard var maxWatts = ScaledDecimal.product(maxCurrent, perAmp) else { return nil }
            if let maxPower {
                guard let lower = ScaledDecimal.min(maxWatts, maxPower) else { return nil }
                maxWatts = lower
            }
            guard let capWatts = watts(cap, perAmp), let capFloor = capWatts.floor(digits: 0),
                  let maxFloor = maxWatts.floor(digits: 0), let lower = ScaledDecimal.min(capFloor, maxFloor),
                  let minWatts = ScaledDecimal.product(minCurrent, perAmp) else { return nil }
            let capped = atLeastZero(lower)
            guard let belowMinimum = ScaledDecimal.compare(capped, minWatts) else { return nil }
            if positive && belowMinimum < 0 {
                guard let raised = minWatts.ceiling(digits: 0) else { return nil }
                var allowed = minimumAllowed
                if allowed {
                    guard let order = ScaledDecimal.compare(raised, maxWatts) else { return nil }
                    allowed = order <= 0
                }
                limit = allowed ? raised : ScaledDecimal.zero
            } else {
                limit = capped
            }
            guard let cap = appliedCap(watts: limit, perAmp: perAmp, e) else { return nil }
            applied = cap
        }
        return CapLimits.OCPPLimit(limit: limit.decimal, unit: target.rateUnit, applied: applied)
    }

    static func oscpCapacity(_ cap: CapValue, unit: ForecastedBlockUnit, _ e: ElectricalConversion) -> Decimal? {
        guard let perAmp = wattsPerAmp(e) else { return nil }
        switch unit {
        case .amps:
            return ampsFloorTenth(cap, perAmp).map { atLeastZero($0).decimal }
        case .watts, .wattHours:
            return watts(cap, perAmp)?.floor(digits: 0).map { atLeastZero($0).decimal }
        case .kilowatts, .kilowattHours:
            // Whole watts ÷ 1000: the same integer with three fraction digits.
            return watts(cap, perAmp)?.floor(digits: 0).map { ScaledDecimal(units: atLeastZero($0).units, scale: 3).decimal }
        }
    }

    static func greenFluxCapacity(_ cap: CapValue, unit: ChargingRateUnit, _ e: ElectricalConversion) -> Decimal? {
        guard let perAmp = wattsPerAmp(e) else { return nil }
        switch unit {
        case .amps: return ampsFloorTenth(cap, perAmp).map { atLeastZero($0).decimal }
        case .watts: return watts(cap, perAmp)?.floor(digits: 0).map { atLeastZero($0).decimal }
        }
    }

    static func applied(capacity: Decimal, unit: ForecastedBlockUnit, _ e: ElectricalConversion) -> AppliedCap? {
        guard let perAmp = wattsPerAmp(e), let value = ScaledDecimal(capacity) else { return nil }
        switch unit {
        case .amps: return appliedCap(amps: value, perAmp: perAmp, e)
        case .watts, .wattHours: return appliedCap(watts: value, perAmp: perAmp, e)
        case .kilowatts, .kilowattHours:
            return ScaledDecimal.product(value, 1000).flatMap { appliedCap(watts: $0, perAmp: perAmp, e) }
        }
    }

    static func appliedCap(amps: Decimal, electrical e: ElectricalConversion) -> AppliedCap? {
        guard let perAmp = wattsPerAmp(e), let value = ScaledDecimal(amps) else { return nil }
        return appliedCap(amps: value, perAmp: perAmp, e)
    }

    static func appliedCap(watts: Decimal, electrical e: ElectricalConversion) -> AppliedCap? {
        guard let perAmp = wattsPerAmp(e), let value = ScaledDecimal(watts) else { return nil }
        return appliedCap(watts: value, perAmp: perAmp, e)
    }

    /// `AppliedCap(amps:)`: amps down to 0.1, amps × perAmp down to whole watts.
    @inline(__always)
    static func appliedCap(amps: ScaledDecimal, perAmp: ScaledDecimal, _ e: ElectricalConversion) -> AppliedCap? {
        guard let current = amps.floor(digits: 1), let power = ScaledDecimal.product(amps, perAmp)?.floor(digits: 0)
        else { return nil }
        return AppliedCap(current: atLeastZero(current).decimal, power: atLeastZero(power).decimal,
                          voltage: e.voltage, phases: e.phases)
    }

    /// `AppliedCap(watts:)`: watts ÷ perAmp down to 0.1, watts down to whole watts.
    @inline(__always)
    static func appliedCap(watts: ScaledDecimal, perAmp: ScaledDecimal, _ e: ElectricalConversion) -> AppliedCap? {
        guard let current = ScaledDecimal.floorQuotient(watts, perAmp, digits: 1), let power = watts.floor(digits: 0)
        else { return nil }
        return AppliedCap(current: atLeastZero(current).decimal, power: atLeastZero(power).decimal,
                          voltage: e.voltage, phases: e.phases)
    }

    /// `OCPPLimitText.text`: rounded down to 0.1 (never below 0), one fraction digit.
    static func ocppLimitText(_ limit: Decimal) -> String? {
        guard let tenths = ScaledDecimal(limit)?.floor(digits: 1) else { return nil }
        return ScaledDecimal.tenthsText(atLeastZero(tenths).units)
    }
}
