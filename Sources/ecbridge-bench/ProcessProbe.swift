import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Reads a process's memory and CPU time from /proc (Linux), the figures the goals are stated in.
struct ProcessProbe {
    var pid: Int32

    /// Resident set size in KiB (`VmRSS`), or `VmHWM` (peak) with `peak`.
    func residentKiB(peak: Bool = false) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        let key = peak ? "VmHWM:" : "VmRSS:"
        for line in text.split(separator: "\n") where line.hasPrefix(key) {
            return Int(line.dropFirst(key.count).split(whereSeparator: { $0 == " " || $0 == "\t" }).first ?? "")
        }
        return nil
    }

    /// Bytes the process caused to be written to storage so far (`write_bytes` of /proc/PID/io): the
    /// write amplification of the store shows up here, not in the CPU figures.
    func storageBytesWritten() -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/io", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("write_bytes:") {
            return Int(line.dropFirst("write_bytes:".count).trimmingCharacters(in: .whitespaces))
        }
        return nil
    }

    /// User + system CPU seconds so far (`utime + stime` of /proc/PID/stat).
    func cpuSeconds() -> Double? { statCPUSeconds(path: "/proc/\(pid)/stat") }

    func statCPUSeconds(path: String) -> Double? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8),
              let close = text.lastIndex(of: ")") else { return nil }
        // Fields after the command name start at field 3 (state); utime is field 14, stime 15.
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// CPU seconds of each thread, by thread id (ascending = creation order).
    func threadCPUSeconds() -> [(Int, Double)] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task") else { return [] }
        return names.compactMap(Int.init).sorted().compactMap { tid in
            ProcessProbe(pid: pid).statCPUSeconds(path: "/proc/\(pid)/task/\(tid)/stat").map { (tid, $0) }
        }
    }

    static var current: ProcessProbe { ProcessProbe(pid: getpid()) }
}
