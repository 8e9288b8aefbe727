import Testing
@testable import EnergyCoordination

@Test func energyCoordinationBuilds() {}
