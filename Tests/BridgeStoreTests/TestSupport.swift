import Foundation
@testable import BridgeStore

/// A temporary directory holding one store file, removed when the test is done.
final class TemporaryStore {
    let directory: URL
    var path: String { directory.appendingPathComponent("nested/ecbridge.sqlite").path }

    init() {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("ecbridge-store-tests-\(UUID().uuidString)")
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    func options(_ change: (inout StoreOptions) -> Void = { _ in }) -> StoreOptions {
        var options = StoreOptions(path: path)
        change(&options)
        return options
    }

    func open(_ change: (inout StoreOptions) -> Void = { _ in }) throws -> BridgeStore {
        try BridgeStore.open(options(change))
    }
}

func record(_ key: String, eventId: String? = nil, operation: String? = nil,
            state: String = InboxState.received, body: String = "{}") -> InboxRecord {
    InboxRecord(dedupeKey: key, eventId: eventId, notificationId: nil, dialect: "ec-v1", operation: operation,
                payloadType: "CurrentLevel", state: state, eventJSON: "{\"id\":\"\(eventId ?? "")\"}",
                rawBody: Array(body.utf8), headersJSON: "{\"content-type\":\"application/json\"}",
                webhookPath: "/webhooks/energy-coordination", receivedAt: Date(timeIntervalSince1970: 1_700_000_000))
}
