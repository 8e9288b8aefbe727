import Essentials

/// The outcome of one `ecbridge doctor` run: the checks in order, rendered as a grouped checklist for
/// people or as JSON for scripts.
///
/// Why separate from the checks: the same report feeds the terminal, `--json` and the tests, and the
/// exit status depends only on whether any check failed.
public struct DoctorReport: Sendable, Equatable {
    public var checks: [DoctorCheck]

    public init(checks: [DoctorCheck] = []) {
        self.checks = checks
    }

    /// `true` when no check failed (warnings and skipped checks do not fail the run).
    public var passed: Bool { !checks.contains { $0.status == .fail } }

    /// The process exit status: 0 when passed, else 1.
    public var exitStatus: Int32 { passed ? 0 : 1 }

    /// How many checks ended with `status`.
    public func count(_ status: DoctorCheck.Status) -> Int { checks.filter { $0.status == status }.count }

    /// The checks of one group, in order.
    public func checks(in group: String) -> [DoctorCheck] { checks.filter { $0.group == group } }

    /// The first check named `name` (e.g. `targets[1]`), if any.
    public func check(named name: String) -> DoctorCheck? { checks.first { $0.name == name } }

    /// `passed, failed, warnings, skipped` in one line.
    public var summary: String {
        "\(count(.pass)) passed, \(count(.fail)) failed, \(count(.warning)) warning\(count(.warning) == 1 ? "" : "s"), "
            + "\(count(.skipped)) skipped"
    }

    /// The checklist: a heading per group, then `  ✓ name  reason` lines, then the summary.
    public var text: String {
        let width = checks.map(\.name.count).max() ?? 0
        var lines: [String] = []
        var groups: [String] = []
        for check in checks where !groups.contains(check.group) { groups.append(check.group) }
        for group in groups {
            lines.append(group)
            for check in checks(in: group) {
                let name = check.name.padded(toLength: width)
                lines.append("  \(check.status.symbol) \(name)  \(check.reason)")
            }
        }
        lines.append("")
        lines.append((passed ? "ok: " : "FAILED: ") + summary)
        return lines.joined(separator: "\n")
    }

    /// `{"ok":…, "summary":{pass,fail,warning,skipped}, "checks":[…]}`.
    public var json: JSON {
        .members([
            ("ok", .bool(passed)),
            ("summary", .members(DoctorCheck.Status.allCases.map { ($0.rawValue, JSON.int(count($0))) })),
            ("checks", .array(checks.map(\.json))),
        ])
    }
}
