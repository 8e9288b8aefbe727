/// Which generation of the Energy Coordination partner API the client speaks.
///
/// Why: the mid-2023 API (`/subscriptions`, plain `/events` array, `PUT /resources?resourceId=`) and the
/// 2024 API (`/webhooks`, paged `/events`, `/resources/{id}`) share a base URL but not their paths.
public enum APIVersion: String, Sendable, CaseIterable {
    case v1 = "v1"
    case v2024 = "2024"
}
