import FoundationEssentials

/// Amps ↔ watts for one AC supply, and the rounding rules for caps (design.md §2).
///
/// Why one type: every channel converts with the same formula (`W = A × U_LN × phases`, OCPP 1.6 §7.12)
/// and the same direction of rounding (caps are always rounded DOWN, never up), so the rules live in
/// one place and the property tests cover all channels at once.
public struct ElectricalConversion: Sendable, Equatable {
    /// Nominal line-to-neutral voltage (V).
    public var voltage: Decimal
    /// Number of phases in use (1–3).
    public var phases: Int

    public init(voltage: Decimal, phases: Int) {
        self.voltage = voltage
        self.phases = phases
    }

    /// `voltage × phases`: watts per amp per phase.
    public var wattsPerAmp: Decimal { voltage * Decimal(phases) }

    /// Exact total watts for a per-phase current (not rounded).
    public func watts(fromAmps amps: Decimal) -> Decimal { amps * wattsPerAmp }

    /// Exact per-phase current for total watts (Decimal division, 38 significant digits; not rounded).
    public func amps(fromWatts watts: Decimal) -> Decimal {
        guard wattsPerAmp > 0 else { return 0 }
        return watts / wattsPerAmp
    }

    /// The cap in amps per phase (exact).
    public func amps(_ cap: CapValue) -> Decimal {
        switch cap {
        case let .amps(a): return a
        case let .watts(w): return amps(fromWatts: w)
        }
    }

    /// The cap in total watts (exact).
    public func watts(_ cap: CapValue) -> Decimal {
        switch cap {
        case let .amps(a): return watts(fromAmps: a)
        case let .watts(w): return w
        }
    }
}

/// A cap in one of the two canonical units, decoupled from the event model so conversions can be tested alone.
public enum CapValue: Sendable, Equatable {
    case amps(Decimal)
    case watts(Decimal)
}

/// Rounding helpers for caps: always toward zero (a cap must never be exceeded), never through `Double`.
public enum CapRounding {
    /// Rounds down to 0.1 (the OCPP `multipleOf 0.1` grid). Negative values become 0.
    public static func downToTenth(_ value: Decimal) -> Decimal {
        value <= 0 ? 0 : value.rounded(scale: 1, mode: .down)
    }

    /// Rounds down to a whole number. Negative values become 0.
    public static func downToWhole(_ value: Decimal) -> Decimal {
        value <= 0 ? 0 : value.rounded(scale: 0, mode: .down)
    }

    /// Rounds down to `scale` fraction digits. Negative values become 0.
    public static func down(_ value: Decimal, scale: Int) -> Decimal {
        value <= 0 ? 0 : value.rounded(scale: scale, mode: .down)
    }

    /// Rounds up to a whole number (used only when raising to a configured minimum).
    public static func upToWhole(_ value: Decimal) -> Decimal {
        value.rounded(scale: 0, mode: .up)
    }

    /// Rounds up to 0.1 (used only when raising to a configured minimum).
    public static func upToTenth(_ value: Decimal) -> Decimal {
        value.rounded(scale: 1, mode: .up)
    }

    /// True when `value × 10` is an integer (the decimal reading of OCPP's `multipleOf 0.1`).
    public static func isMultipleOfTenth(_ value: Decimal) -> Bool {
        let tenfold = value * 10
        return tenfold == tenfold.rounded(scale: 0, mode: .down)
    }
}
