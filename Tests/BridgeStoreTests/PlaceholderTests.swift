import Testing
@testable import BridgeStore

@Test func bridgeStoreBuilds() {}
