import Testing
@testable import WebhookAuth

@Test func webhookAuthBuilds() {}
