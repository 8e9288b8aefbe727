import Foundation

/// Named pass/fail checks printed as the resilience scripts print theirs (`  ok   name`,
/// `  FAIL name: detail`), ending with a `checks: P passed, F failed` line the scripts add up.
final class CheckList {
    private(set) var passed = 0
    private(set) var failed = 0

    /// Records and prints one check; `detail` is shown only on failure.
    func check(_ name: String, _ condition: Bool, _ detail: @autoclosure () -> String = "") {
        if condition {
            passed += 1
            print("  ok   \(name)")
        } else {
            failed += 1
            let text = detail()
            print("  FAIL \(name)\(text.isEmpty ? "" : ": " + text)")
        }
        fflush(nil)
    }

    /// A figure worth seeing that is not a check.
    func note(_ text: String) {
        print("  --   \(text)")
        fflush(nil)
    }

    func summary() -> Int32 {
        print("checks: \(passed) passed, \(failed) failed")
        fflush(nil)
        return failed == 0 ? 0 : 1
    }
}

/// At most `limit` items of a list, for failure details.
func sample<T>(_ items: [T], limit: Int = 5) -> String {
    let shown = items.prefix(limit).map { "\($0)" }.joined(separator: ", ")
    return items.count > limit ? "\(shown), … (\(items.count) in all)" : shown
}
