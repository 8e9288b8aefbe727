import Testing
@testable import Bridge

@Suite struct IntakeContentTypeTests {
    @Test func jsonMediaTypesAreAcceptedWithParametersAndAnyCase() {
        #expect(WebhookIntake.isJSON("application/json"))
        #expect(WebhookIntake.isJSON("application/json; charset=utf-8"))
        #expect(WebhookIntake.isJSON("  Application/JSON\t;charset=UTF-8"))
        #expect(WebhookIntake.isJSON("application/cloudevents+json"))
        #expect(WebhookIntake.isJSON("application/problem+json; q=1"))
        #expect(WebhookIntake.isJSON("APPLICATION/+JSON"))
    }

    @Test func otherMediaTypesAreRefused() {
        #expect(!WebhookIntake.isJSON(nil))
        #expect(!WebhookIntake.isJSON(""))
        #expect(!WebhookIntake.isJSON("text/json"))
        #expect(!WebhookIntake.isJSON("application/jsonx"))
        #expect(!WebhookIntake.isJSON("application/xml"))
        #expect(!WebhookIntake.isJSON("application/"))
        #expect(!WebhookIntake.isJSON("application/json-seq"))
        #expect(!WebhookIntake.isJSON("application/x+jsonp"))
        #expect(!WebhookIntake.isJSON("; application/json"))
    }
}
