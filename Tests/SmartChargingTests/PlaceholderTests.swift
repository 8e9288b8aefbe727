import Testing
@testable import SmartCharging

@Test func smartChargingBuilds() {}
