import Essentials
import FoundationEssentials

/// OCPP 1.6 `SetChargingProfile.req` with a charge-point-wide or connector default profile.
///
/// Why a model and not ad-hoc JSON: member order, the `Absolute` kind and the one-digit limits are fixed
/// here once, and the conformance script checks this exact output against the official schema.
public struct OCPP16SetChargingProfile: Sendable, Equatable {
    public static let action = "SetChargingProfile"

    public var connectorId: Int
    public var chargingProfileId: Int
    public var stackLevel: Int
    public var purpose: ChargingProfilePurpose
    public var schedule: OCPPChargingSchedule

    public init(connectorId: Int, chargingProfileId: Int, stackLevel: Int, purpose: ChargingProfilePurpose,
                schedule: OCPPChargingSchedule) {
        self.connectorId = connectorId
        self.chargingProfileId = chargingProfileId
        self.stackLevel = stackLevel
        self.purpose = purpose
        self.schedule = schedule
    }

    public var json: JSON {
        .object([
            ("connectorId", .int(connectorId)),
            ("csChargingProfiles", .object([
                ("chargingProfileId", .int(chargingProfileId)),
                ("stackLevel", .int(stackLevel)),
                ("chargingProfilePurpose", .string(purpose.wireName(.v16))),
                ("chargingProfileKind", .string("Absolute")),
                ("chargingSchedule", schedule.json(id: nil)),
            ])),
        ])
    }
}

/// OCPP 1.6 `ClearChargingProfile.req`. ecbridge clears by `id` only, so it never removes profiles that
/// other parties installed (absent fields match everything).
public struct OCPP16ClearChargingProfile: Sendable, Equatable {
    public static let action = "ClearChargingProfile"

    public var id: Int?
    public var connectorId: Int?
    public var purpose: ChargingProfilePurpose?
    public var stackLevel: Int?

    public init(id: Int?, connectorId: Int? = nil, purpose: ChargingProfilePurpose? = nil, stackLevel: Int? = nil) {
        self.id = id
        self.connectorId = connectorId
        self.purpose = purpose
        self.stackLevel = stackLevel
    }

    public var json: JSON {
        .members([
            ("id", id.map { .int($0) }),
            ("connectorId", connectorId.map { .int($0) }),
            ("chargingProfilePurpose", purpose.map { .string($0.wireName(.v16)) }),
            ("stackLevel", stackLevel.map { .int($0) }),
        ])
    }
}

/// OCPP 1.6 `GetCompositeSchedule.req`: asks the charger what it will actually apply (indicative only),
/// used to confirm a cap took effect.
public struct OCPP16GetCompositeSchedule: Sendable, Equatable {
    public static let action = "GetCompositeSchedule"

    public var connectorId: Int
    /// Seconds from receipt.
    public var duration: Int
    public var rateUnit: ChargingRateUnit?

    public init(connectorId: Int, duration: Int, rateUnit: ChargingRateUnit? = nil) {
        self.connectorId = connectorId
        self.duration = duration
        self.rateUnit = rateUnit
    }

    public var json: JSON {
        .members([
            ("connectorId", .int(connectorId)),
            ("duration", .int(duration)),
            ("chargingRateUnit", rateUnit.map { .string($0.rawValue) }),
        ])
    }
}
