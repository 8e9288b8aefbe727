import Foundation

/// Per-CPU time counters of the whole machine (`/proc/stat`), to tell how busy each CPU was during a load
/// and how much time the hypervisor took away from it.
///
/// Why: on a virtual machine whose host caps its CPU time (most likely CFS bandwidth control), the whole
/// guest is frozen for a few milliseconds at the end of a 100 ms period once the cap is used up. Requests in flight then wait
/// with nothing running, and the only sign inside the guest is *steal* time on the CPUs that had work.
struct MachineCPUTimes {
    /// Clock ticks by CPU number: everything, idle (idle + iowait), and steal.
    struct Ticks {
        var total: UInt64 = 0
        var idle: UInt64 = 0
        var steal: UInt64 = 0
    }

    var cpus: [Int: Ticks] = [:]

    /// The counters now; empty where `/proc/stat` cannot be read.
    static func now() -> MachineCPUTimes {
        guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8) else { return MachineCPUTimes() }
        var times = MachineCPUTimes()
        for line in text.split(separator: "\n") where line.hasPrefix("cpu") {
            let fields = line.split(separator: " ")
            // "cpuN user nice system idle iowait irq softirq steal …"; the "cpu" line is the sum.
            guard let number = Int(fields[0].dropFirst(3)), fields.count > 8 else { continue }
            let values = fields.dropFirst().prefix(8).compactMap { UInt64($0) }
            guard values.count == 8 else { continue }
            times.cpus[number] = Ticks(total: values.reduce(0, +), idle: values[3] + values[4], steal: values[7])
        }
        return times
    }

    /// "cpu:busy%/steal%" for every CPU, from `earlier` to `self`, e.g. "0:83/4 1:12/5". Busy counts
    /// everything but idle and iowait (steal included); steal is the time the hypervisor ran something else
    /// while this CPU had work.
    func busyAndSteal(since earlier: MachineCPUTimes) -> String {
        cpus.keys.sorted().compactMap { cpu -> String? in
            guard let now = cpus[cpu], let then = earlier.cpus[cpu], now.total > then.total else { return nil }
            let total = Double(now.total - then.total)
            let busy = 100 * (total - Double(now.idle - then.idle)) / total
            let steal = 100 * Double(now.steal - then.steal) / total
            return "\(cpu):" + String(format: "%.0f/%.1f", busy, steal)
        }.joined(separator: " ")
    }
}
