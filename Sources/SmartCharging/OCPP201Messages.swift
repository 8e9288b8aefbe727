import Essentials
import FoundationEssentials

/// OCPP 2.0.1 `SetChargingProfileRequest` (one schedule; `chargingSchedule` is an array of 1–3 in 2.0.1).
///
/// Why separate from 1.6: the profile id is `id`, the charger-wide purpose is ChargingStationMaxProfile,
/// and the schedule needs its own `id`; sharing one model would hide those differences.
public struct OCPP201SetChargingProfileRequest: Sendable, Equatable {
    public static let action = "SetChargingProfile"

    public var evseId: Int
    public var chargingProfileId: Int
    public var stackLevel: Int
    public var purpose: ChargingProfilePurpose
    /// The schedule's own `id` (ecbridge uses the profile id: one schedule per profile).
    public var scheduleId: Int
    public var schedule: OCPPChargingSchedule

    public init(evseId: Int, chargingProfileId: Int, stackLevel: Int, purpose: ChargingProfilePurpose,
                scheduleId: Int, schedule: OCPPChargingSchedule) {
        self.evseId = evseId
        self.chargingProfileId = chargingProfileId
        self.stackLevel = stackLevel
        self.purpose = purpose
        self.scheduleId = scheduleId
        self.schedule = schedule
    }

    public var json: JSON {
        .object([
            ("evseId", .int(evseId)),
            ("chargingProfile", .object([
                ("id", .int(chargingProfileId)),
                ("stackLevel", .int(stackLevel)),
                ("chargingProfilePurpose", .string(purpose.wireName(.v201))),
                ("chargingProfileKind", .string("Absolute")),
                ("chargingSchedule", .array([schedule.json(id: scheduleId)])),
            ])),
        ])
    }
}

/// OCPP 2.0.1 `ClearChargingProfileRequest`, by `chargingProfileId` (as in 1.6, never by criteria alone).
public struct OCPP201ClearChargingProfileRequest: Sendable, Equatable {
    public static let action = "ClearChargingProfile"

    public var chargingProfileId: Int

    public init(chargingProfileId: Int) {
        self.chargingProfileId = chargingProfileId
    }

    public var json: JSON { .members([("chargingProfileId", .int(chargingProfileId))]) }
}
