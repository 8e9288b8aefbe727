import BridgeStore
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// `doctor`'s store section: an existing store must open, migrate and answer a read; a store that does
/// not exist yet must be creatable where it is configured.
///
/// Why no file is created: `doctor` may run from another working directory or before the first deploy;
/// leaving a fresh store in a surprising place would hide the mistake it should report. Opening an
/// existing store is safe next to a running `serve` (WAL, busy timeout) and migrates it as `serve` would.
enum StoreCheck {
    static let group = "store"

    static func run(_ settings: StoreSettings) -> DoctorCheck {
        let name = "store.path"
        let path = settings.path
        var isDirectory = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard !isDirectory else {
                return DoctorCheck(group: group, name: name, status: .fail, reason: "\(path) is a directory, not a store file")
            }
            return openExisting(path: path, settings: settings, name: name)
        }
        return creatable(path: path, name: name)
    }

    private static func openExisting(path: String, settings: StoreSettings, name: String) -> DoctorCheck {
        var options = settings.storeOptions
        options.path = path
        do {
            let store = try BridgeStore.open(options)
            defer { store.close() }
            let counts = try store.counts()
            let inbox = counts.inbox.values.reduce(0, +)
            let deliveries = counts.deliveries.values.reduce(0, +)
            let states = counts.deliveries.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            return DoctorCheck(group: group, name: name, status: .pass,
                               reason: "\(path) opens and is migrated (\(inbox) notifications, \(deliveries) deliveries"
                                   + (states.isEmpty ? ")" : ": \(states))"))
        } catch {
            return DoctorCheck(group: group, name: name, status: .fail, reason: "\(path) does not open: \(error)")
        }
    }

    /// The file is absent: its nearest existing ancestor directory must be writable.
    private static func creatable(path: String, name: String) -> DoctorCheck {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        var ancestor = directory
        var isDirectory = false
        while !FileManager.default.fileExists(atPath: ancestor, isDirectory: &isDirectory) {
            let parent = URL(fileURLWithPath: ancestor).deletingLastPathComponent().path
            if parent == ancestor { break }
            ancestor = parent
        }
        guard isDirectory else {
            return DoctorCheck(group: group, name: name, status: .fail, reason: "\(ancestor) is not a directory; \(path) cannot be created")
        }
        guard access(ancestor, W_OK | X_OK) == 0 else {
            return DoctorCheck(group: group, name: name, status: .fail,
                               reason: "\(path) does not exist and \(ancestor) is not writable, so it cannot be created")
        }
        let note = ancestor == directory ? "\(directory) is writable" : "\(directory) will be created under writable \(ancestor)"
        return DoctorCheck(group: group, name: name, status: .pass, reason: "\(path) does not exist yet; serve will create it (\(note))")
    }
}
