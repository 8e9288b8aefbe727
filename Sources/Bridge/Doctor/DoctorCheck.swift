import Essentials

/// One line of the `ecbridge doctor` checklist: what was checked, the verdict, and a short reason.
///
/// Why a value with a key-path-like `name`: an operator fixes the configuration key the line names, and
/// scripts (`--json`) match on `group`/`name` without parsing prose. A reason never holds a secret value.
public struct DoctorCheck: Sendable, Equatable {
    /// The verdict of one check.
    public enum Status: String, Sendable, Equatable, CaseIterable {
        /// Works as configured.
        case pass
        /// Will not work as configured; `doctor` exits non-zero.
        case fail
        /// Works, but deserves a look (e.g. the listen port is taken, perhaps by a running `serve`).
        case warning
        /// Not checked (offline, not configured, or an earlier check failed).
        case skipped

        /// The checklist mark: ✓, ✗, ! or –.
        public var symbol: String {
            switch self {
            case .pass: return "✓"
            case .fail: return "✗"
            case .warning: return "!"
            case .skipped: return "–"
            }
        }
    }

    /// The section: `configuration`, `secrets`, `store`, `listen`, `solarnetwork`, `energy-coordination`, `targets`.
    public var group: String
    /// What was checked, usually a configuration key path (`solarNetwork.secret`, `targets[2]`).
    public var name: String
    public var status: Status
    /// One line, never a secret value.
    public var reason: String

    public init(group: String, name: String, status: Status, reason: String) {
        self.group = group
        self.name = name
        self.status = status
        self.reason = reason
    }

    /// `{"group":…,"name":…,"status":…,"reason":…}`.
    public var json: JSON {
        .members([("group", .string(group)), ("name", .string(name)), ("status", .string(status.rawValue)),
                  ("reason", .string(reason))])
    }
}
