import Testing
@testable import SolarNetwork

@Test func solarNetworkBuilds() {}
