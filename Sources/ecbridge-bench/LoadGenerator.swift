import CSystem
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// How the load is applied.
struct LoadOptions: Sendable {
    var connections = 64
    /// Client threads (each with its own epoll instance and share of the connections).
    var threads = 1
    var duration: Double = 10
    /// Seconds of load before measuring starts (connections warm, caches filled); not reported.
    var warmup: Double = 1
    /// Requests per second in total; 0 = as fast as the server answers (closed loop).
    var rate: Double = 0
    /// Where to write every measured request as "sent-ms latency-ms" lines (`--timeline`), or nil.
    var timelinePath: String?
}

/// One measured request: when it was (meant to be) sent and how long its answer took, in nanoseconds.
struct LatencySample: Sendable {
    var sentAt: UInt64
    var latency: UInt64
}

/// What one load run saw inside its measured window.
struct LoadResult: Sendable {
    var seconds: Double = 0
    var completed = 0
    var non2xx = 0
    var errors = 0
    /// Requests whose intended send time fell in the window but that never completed (fixed rate only).
    var unsent = 0
    var statusCounts: [Int: Int] = [:]
    /// Latencies in nanoseconds, sorted: taken from `samples` once the threads' results are merged.
    var latencies: [UInt64] = []
    /// Every measured request, ordered by send time once the threads' results are merged (for
    /// `longestStallMs` and `--timeline`).
    var samples: [LatencySample] = []
    /// Request indexes answered with a 2xx (only collected when asked for).
    var acceptedIndexes: [Int] = []
    var poolExhausted = false

    var requestsPerSecond: Double { seconds > 0 ? Double(completed) / seconds : 0 }

    /// The longest time, in ms, during which requests were waiting and none was answered: a server (or
    /// storage) stall shows up here as one long gap, where queueing shows up as many short ones.
    var longestStallMs: Double {
        let byCompletion = samples.sorted { $0.sentAt + $0.latency < $1.sentAt + $1.latency }
        var longest: UInt64 = 0
        for (previous, sample) in zip(byCompletion, byCompletion.dropFirst()) {
            let completed = sample.sentAt + sample.latency
            // Time this request waited with nothing else answered meanwhile.
            let quietSince = max(previous.sentAt + previous.latency, sample.sentAt)
            longest = max(longest, completed - min(completed, quietSince))
        }
        return Double(longest) / 1e6
    }

    /// "sent-ms latency-ms" per measured request, times from the first send, ordered by send time.
    func writeTimeline(to path: String) {
        let origin = samples.first?.sentAt ?? 0
        var text = "# sent_ms latency_ms\n"
        for sample in samples {
            text += "\(Self.milliseconds(sample.sentAt - origin)) \(Self.milliseconds(sample.latency))\n"
        }
        do {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            FileHandle.standardError.write(Data("ecbridge-bench: cannot write \(path): \(error)\n".utf8))
        }
    }

    private static func milliseconds(_ nanoseconds: UInt64) -> String {
        String(format: "%.3f", Double(nanoseconds) / 1e6)
    }

    func percentile(_ p: Double) -> Double {
        guard !latencies.isEmpty else { return 0 }
        let rank = min(latencies.count - 1, max(0, Int((p / 100 * Double(latencies.count)).rounded(.up)) - 1))
        return Double(latencies[rank]) / 1e6
    }

    mutating func merge(_ other: LoadResult) {
        completed += other.completed
        non2xx += other.non2xx
        errors += other.errors
        unsent += other.unsent
        for (status, count) in other.statusCounts { statusCounts[status, default: 0] += count }
        samples += other.samples
        acceptedIndexes += other.acceptedIndexes
        poolExhausted = poolExhausted || other.poolExhausted
    }
}

/// Keep-alive HTTP/1.1 load over raw non-blocking sockets and epoll, so the generator costs a few
/// microseconds per request and is not the bottleneck on its own core.
///
/// Closed loop (`rate` 0): every connection sends its next request as soon as the previous answer is
/// complete. Open loop (`rate` > 0): request k is due at `start + k / rate`; latency is measured from that
/// intended time, not from the actual send, so a stalled server cannot hide its stall (no coordinated
/// omission).
enum LoadGenerator {
    static func run(target: TargetURL, pool: RequestPool, options: LoadOptions, collectAccepted: Bool = false) -> LoadResult {
        let threads = max(1, min(options.threads, options.connections))
        let start = MonotonicClock.now() + 20_000_000
        let measureFrom = start + UInt64(options.warmup * 1e9)
        let end = measureFrom + UInt64(options.duration * 1e9)
        let results = Mutex<[LoadResult]>([])
        var workers: [Thread] = []
        let done = DispatchGroup()
        for index in 0 ..< threads {
            let low = pool.count * index / threads
            let high = pool.count * (index + 1) / threads
            let connections = options.connections / threads + (index < options.connections % threads ? 1 : 0)
            let worker = LoadWorker(target: target, pool: pool, indexes: low ..< high, connections: connections,
                                    rate: options.rate / Double(threads), start: start, measureFrom: measureFrom,
                                    end: end, collectAccepted: collectAccepted)
            done.enter()
            let thread = Thread {
                let result = worker.run()
                results.withLock { $0.append(result) }
                done.leave()
            }
            thread.name = "bench-load-\(index)"
            workers.append(thread)
        }
        for thread in workers { thread.start() }
        done.wait()
        var total = LoadResult()
        for result in results.withLock({ $0 }) { total.merge(result) }
        total.samples.sort { $0.sentAt < $1.sentAt }
        total.latencies = total.samples.map(\.latency).sorted()
        if let path = options.timelinePath { total.writeTimeline(to: path) }
        total.seconds = options.duration
        return total
    }
}

/// One client thread: its connections, its slice of the request pool and its own schedule.
private final class LoadWorker: @unchecked Sendable {
    // Safety: created on the starting thread, then used only by its own worker thread.

    private struct ClientConnection {
        var fd: Int32 = -1
        var busy = false
        var index = 0
        var sent = 0
        var startedAt: UInt64 = 0
        var received: [UInt8] = []
    }

    private let target: TargetURL
    private let pool: RequestPool
    private let indexes: Range<Int>
    private let connectionCount: Int
    private let interval: Double
    private let start: UInt64
    private let measureFrom: UInt64
    private let end: UInt64
    private let collectAccepted: Bool
    private var connections: [ClientConnection] = []
    private var idle: [Int] = []
    private var next: Int
    private var result = LoadResult()
    private var epollFD: Int32 = -1
    private var scratch = [UInt8](repeating: 0, count: 65_536)

    init(target: TargetURL, pool: RequestPool, indexes: Range<Int>, connections: Int, rate: Double, start: UInt64,
         measureFrom: UInt64, end: UInt64, collectAccepted: Bool) {
        self.target = target
        self.pool = pool
        self.indexes = indexes
        connectionCount = max(1, connections)
        interval = rate > 0 ? 1e9 / rate : 0
        self.start = start
        self.measureFrom = measureFrom
        self.end = end
        self.collectAccepted = collectAccepted
        next = indexes.lowerBound
    }

    private var isOpenLoop: Bool { interval > 0 }

    private func intendedTime(_ index: Int) -> UInt64 {
        start + UInt64(Double(index - indexes.lowerBound) * interval)
    }

    func run() -> LoadResult {
        epollFD = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard epollFD >= 0 else {
            result.errors += 1
            return result
        }
        defer { close(epollFD) }
        for slot in 0 ..< connectionCount {
            connections.append(ClientConnection())
            if open(slot) { idle.append(slot) }
        }
        while MonotonicClock.now() < start {}
        pool.bytes.withUnsafeBufferPointer { bytes in loop(bytes) }
        for connection in connections where connection.fd >= 0 { close(connection.fd) }
        if isOpenLoop {
            // Requests that were due inside the window but never went out count against the server.
            var index = next
            while index < indexes.upperBound, intendedTime(index) < end {
                if intendedTime(index) >= measureFrom { result.unsent += 1 }
                index += 1
            }
        }
        for connection in connections where connection.busy && connection.startedAt >= measureFrom {
            result.unsent += isOpenLoop ? 1 : 0
        }
        return result
    }

    private func open(_ slot: Int) -> Bool {
        let fd = target.connectSocket(nonBlocking: false)
        guard fd >= 0 else {
            result.errors += 1
            connections[slot].fd = -1
            return false
        }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        var event = epoll_event()
        event.events = ecb_EPOLLIN() | ecb_EPOLLRDHUP()
        event.data.u64 = UInt64(slot)
        _ = epoll_ctl(epollFD, EPOLL_CTL_ADD, fd, &event)
        connections[slot].fd = fd
        connections[slot].busy = false
        connections[slot].received.removeAll(keepingCapacity: true)
        return true
    }

    private func drop(_ slot: Int, countError: Bool) {
        let fd = connections[slot].fd
        if fd >= 0 {
            _ = epoll_ctl(epollFD, EPOLL_CTL_DEL, fd, nil)
            close(fd)
        }
        if countError && connections[slot].startedAt >= measureFrom { result.errors += 1 }
        connections[slot].fd = -1
        connections[slot].busy = false
    }

    private func loop(_ bytes: UnsafeBufferPointer<UInt8>) {
        var events = [epoll_event](repeating: epoll_event(), count: 256)
        if !isOpenLoop {
            while let slot = idle.popLast() {
                guard next < indexes.upperBound else { break }
                send(slot, index: next, startedAt: MonotonicClock.now(), bytes: bytes)
                next += 1
            }
        }
        var useNanosecondWait = true
        while true {
            var now = MonotonicClock.now()
            if now >= end { break }
            if isOpenLoop {
                while next < indexes.upperBound, intendedTime(next) <= now, let slot = idle.popLast() {
                    send(slot, index: next, startedAt: intendedTime(next), bytes: bytes)
                    next += 1
                }
                if next >= indexes.upperBound && connections.allSatisfy({ !$0.busy }) {
                    result.poolExhausted = true
                    break
                }
            } else if connections.allSatisfy({ !$0.busy }) {
                result.poolExhausted = next >= indexes.upperBound
                break
            }
            now = MonotonicClock.now()
            var waitNanoseconds = end - min(end, now)
            if isOpenLoop, next < indexes.upperBound, !idle.isEmpty {
                waitNanoseconds = min(waitNanoseconds, intendedTime(next) - min(intendedTime(next), now))
            }
            waitNanoseconds = min(waitNanoseconds, 100_000_000)
            let count: Int32 = events.withUnsafeMutableBufferPointer { buffer in
                if useNanosecondWait {
                    var timeout = timespec(tv_sec: Int(waitNanoseconds / 1_000_000_000), tv_nsec: Int(waitNanoseconds % 1_000_000_000))
                    let n = epoll_pwait2(epollFD, buffer.baseAddress, Int32(buffer.count), &timeout, nil)
                    if n < 0 && errno == ENOSYS { useNanosecondWait = false } else { return n }
                }
                return epoll_wait(epollFD, buffer.baseAddress, Int32(buffer.count), Int32(waitNanoseconds / 1_000_000))
            }
            guard count >= 0 || errno == EINTR else { break }
            for item in 0 ..< max(0, Int(count)) {
                let slot = Int(events[item].data.u64)
                let mask = events[item].events
                guard connections[slot].fd >= 0 else { continue }
                if mask & ecb_EPOLLOUT() != 0 { flush(slot, bytes: bytes) }
                if mask & (ecb_EPOLLIN() | ecb_EPOLLRDHUP() | ecb_EPOLLHUP() | ecb_EPOLLERR()) != 0 {
                    receive(slot, bytes: bytes)
                }
            }
        }
    }

    private func send(_ slot: Int, index: Int, startedAt: UInt64, bytes: UnsafeBufferPointer<UInt8>) {
        if connections[slot].fd < 0, !open(slot) { return }
        connections[slot].busy = true
        connections[slot].index = index
        connections[slot].sent = 0
        connections[slot].startedAt = startedAt
        flush(slot, bytes: bytes)
    }

    private func flush(_ slot: Int, bytes: UnsafeBufferPointer<UInt8>) {
        guard connections[slot].busy, let base = bytes.baseAddress else { return }
        let range = pool.range(connections[slot].index)
        while connections[slot].sent < range.count {
            let offset = range.lowerBound + connections[slot].sent
            let written = Glibc.send(connections[slot].fd, base + offset, range.count - connections[slot].sent, ecb_MSG_NOSIGNAL())
            if written > 0 {
                connections[slot].sent += written
            } else if written < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                var event = epoll_event()
                event.events = ecb_EPOLLIN() | ecb_EPOLLRDHUP() | ecb_EPOLLOUT()
                event.data.u64 = UInt64(slot)
                _ = epoll_ctl(epollFD, EPOLL_CTL_MOD, connections[slot].fd, &event)
                return
            } else if written < 0 && errno == EINTR {
                continue
            } else {
                drop(slot, countError: true)
                recover(slot, bytes: bytes)
                return
            }
        }
        if connections[slot].sent == range.count {
            var event = epoll_event()
            event.events = ecb_EPOLLIN() | ecb_EPOLLRDHUP()
            event.data.u64 = UInt64(slot)
            _ = epoll_ctl(epollFD, EPOLL_CTL_MOD, connections[slot].fd, &event)
            connections[slot].sent += 1 // marks "fully sent" without another syscall next time
        }
    }

    private func receive(_ slot: Int, bytes: UnsafeBufferPointer<UInt8>) {
        while true {
            let count = scratch.withUnsafeMutableBytes { buffer in
                recv(connections[slot].fd, buffer.baseAddress, buffer.count, 0)
            }
            if count > 0 {
                connections[slot].received.append(contentsOf: scratch[0 ..< count])
                if count < scratch.count { break }
            } else if count == 0 {
                drop(slot, countError: connections[slot].busy)
                recover(slot, bytes: bytes)
                return
            } else if errno == EAGAIN || errno == EWOULDBLOCK {
                break
            } else if errno == EINTR {
                continue
            } else {
                drop(slot, countError: connections[slot].busy)
                recover(slot, bytes: bytes)
                return
            }
        }
        while let response = ResponseScanner.scan(connections[slot].received) {
            connections[slot].received.removeFirst(response.length)
            complete(slot, status: response.status, bytes: bytes)
            if response.closes {
                drop(slot, countError: false)
                recover(slot, bytes: bytes)
                return
            }
        }
    }

    private func complete(_ slot: Int, status: Int, bytes: UnsafeBufferPointer<UInt8>) {
        guard connections[slot].busy else { return }
        let now = MonotonicClock.now()
        let startedAt = connections[slot].startedAt
        connections[slot].busy = false
        if startedAt >= measureFrom && now <= end {
            result.completed += 1
            result.statusCounts[status, default: 0] += 1
            if !(200 ... 299).contains(status) { result.non2xx += 1 }
            result.samples.append(LatencySample(sentAt: startedAt, latency: now - startedAt))
        }
        if collectAccepted && (200 ... 299).contains(status) { result.acceptedIndexes.append(connections[slot].index) }
        if isOpenLoop {
            idle.append(slot)
        } else if next < indexes.upperBound, now < end {
            send(slot, index: next, startedAt: now, bytes: bytes)
            next += 1
        }
    }

    /// After a dropped connection: reconnect; in closed loop keep the connection busy with the next request.
    private func recover(_ slot: Int, bytes: UnsafeBufferPointer<UInt8>) {
        guard MonotonicClock.now() < end, open(slot) else { return }
        if isOpenLoop {
            idle.append(slot)
        } else if next < indexes.upperBound {
            send(slot, index: next, startedAt: MonotonicClock.now(), bytes: bytes)
            next += 1
        }
    }
}

/// Finds one complete HTTP/1.1 response at the start of a buffer (Content-Length framed, as every
/// server we measure answers; a response without a length is taken as ending at its head).
enum ResponseScanner {
    struct Response {
        var status: Int
        var length: Int
        var closes: Bool
    }

    static func scan(_ buffer: [UInt8]) -> Response? {
        let count = buffer.count
        guard count >= 16 else { return nil }
        return buffer.withUnsafeBufferPointer { b -> Response? in
            var headEnd = -1
            var i = 3
            while i < count {
                if b[i] == 10 && b[i - 1] == 13 && b[i - 2] == 10 && b[i - 3] == 13 {
                    headEnd = i + 1
                    break
                }
                i += 1
            }
            guard headEnd > 0 else { return nil }
            let status = (Int(b[9]) - 48) * 100 + (Int(b[10]) - 48) * 10 + (Int(b[11]) - 48)
            var contentLength = 0
            var closes = false
            // Walk the header lines.
            var lineStart = 0
            while lineStart < headEnd {
                var lineEnd = lineStart
                while lineEnd < headEnd && b[lineEnd] != 13 { lineEnd += 1 }
                if matches(b, lineStart, lineEnd, "content-length:") {
                    var j = lineStart + 15
                    var value = 0
                    while j < lineEnd {
                        let c = b[j]
                        if c >= 48 && c <= 57 { value = value * 10 + Int(c - 48) }
                        j += 1
                    }
                    contentLength = value
                } else if matches(b, lineStart, lineEnd, "connection:") {
                    var j = lineStart + 11
                    while j < lineEnd && b[j] == 32 { j += 1 }
                    closes = j < lineEnd && (b[j] | 0x20) == UInt8(ascii: "c")
                }
                lineStart = lineEnd + 2
            }
            guard count >= headEnd + contentLength else { return nil }
            return Response(status: status, length: headEnd + contentLength, closes: closes)
        }
    }

    private static func matches(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, _ name: StaticString) -> Bool {
        let length = name.utf8CodeUnitCount
        guard end - start >= length else { return false }
        let pointer = name.utf8Start
        for k in 0 ..< length where (b[start + k] | 0x20) != pointer[k] { return false }
        return true
    }
}
