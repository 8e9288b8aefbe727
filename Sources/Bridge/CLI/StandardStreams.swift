import FoundationEssentials
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes to and reads from the process's standard streams with plain system calls.
///
/// Why: `FileHandle` is not in FoundationEssentials, and it would crash the process on a failed write.
enum StandardStreams {
    /// Writes the whole text with write(2), retrying partial writes and EINTR. A failing stream
    /// (closed pipe, full disk) drops the text: `FileHandle.write` would crash the process instead,
    /// and losing a log line must never take the webhook listener down.
    static func write(descriptor: Int32, _ text: String) {
        let bytes = Array(text.utf8)
        var offset = 0
        bytes.withUnsafeBytes { buffer in
            guard let base = buffer.baseAddress else { return }
            while offset < buffer.count {
                let written = Glibc.write(descriptor, base + offset, buffer.count - offset)
                if written > 0 {
                    offset += written
                } else if written < 0, errno == EINTR {
                    continue
                } else {
                    return
                }
            }
        }
    }

    /// Everything until end of file (what `FileHandle.readDataToEndOfFile()` returns); on a read error,
    /// what was read before it.
    static func readToEnd(descriptor: Int32) -> Data {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count > 0 {
                data.append(contentsOf: buffer[0 ..< count])
            } else if count < 0, errno == EINTR {
                continue
            } else {
                return data
            }
        }
    }
}
