import CSystem
import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// One thread, one epoll instance, its own SO_REUSEPORT listening socket and the connections it accepted.
/// Everything except `submit(_:)` runs on the loop's thread; other threads hand work over through a
/// lock-protected queue and wake the loop with an eventfd. That confinement is why the type is
/// `@unchecked Sendable`: only `submissions`, `wakeupPending` and `threadID` are touched across threads.
final class EventLoop: @unchecked Sendable {
    /// Work handed to the loop from any thread.
    enum Submission: Sendable {
        case response(connection: UInt64, serial: UInt64, HTTPResponse)
        case adopt(fileDescriptor: Int32, remoteAddress: String)
        case drain(deadline: UInt64)
    }

    let configuration: HTTPServerConfiguration
    let handler: any HTTPHandler
    let counters: StatisticsCounters
    /// Set when the listener speaks TLS: the context new connections start with.
    let tls: TLSContextStore?
    let readBytes: UnsafeMutablePointer<UInt8>
    let readBuffer: UnsafeMutableRawBufferPointer
    private(set) var isDraining = false

    private let epollFD: Int32
    private let wakeFD: Int32
    private var listenFD: Int32
    private let submissions = Mutex<[Submission]>([])
    private let wakeupPending = Atomic<Bool>(false)
    private let threadID = Atomic<UInt>(0)
    private let finished = DispatchSemaphore(value: 0)

    private var connections: [Connection?] = []
    private var openCount = 0
    private var nextGeneration: UInt32 = 1
    private var timeouts: [TimeoutList]
    private var now: UInt64 = 0
    private var drainDeadline: UInt64 = .max
    private var dateCache = HTTPDateCache()
    private static let readBufferSize = 65_536

    init(configuration: HTTPServerConfiguration, handler: any HTTPHandler, counters: StatisticsCounters,
         tls: TLSContextStore? = nil, listenFD: Int32) throws {
        self.configuration = configuration
        self.handler = handler
        self.counters = counters
        self.tls = tls
        self.listenFD = listenFD
        let epollFD = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard epollFD >= 0 else { throw HTTPServerError.system(call: "epoll_create1", errno: ecb_errno()) }
        let wakeFD = eventfd(0, ecb_EFD_NONBLOCK() | ecb_EFD_CLOEXEC())
        guard wakeFD >= 0 else {
            Glibc.close(epollFD)
            throw HTTPServerError.system(call: "eventfd", errno: ecb_errno())
        }
        self.epollFD = epollFD
        self.wakeFD = wakeFD
        readBytes = UnsafeMutablePointer<UInt8>.allocate(capacity: Self.readBufferSize)
        readBuffer = UnsafeMutableRawBufferPointer(start: readBytes, count: Self.readBufferSize)
        func nanoseconds(_ seconds: Double) -> UInt64 { UInt64(max(0.001, seconds) * 1_000_000_000) }
        timeouts = [TimeoutList(duration: nanoseconds(configuration.idleTimeout)),
                    TimeoutList(duration: nanoseconds(configuration.requestReadTimeout)),
                    TimeoutList(duration: nanoseconds(configuration.writeTimeout)),
                    TimeoutList(duration: nanoseconds(configuration.lingerTimeout))]
        try register(wakeFD, events: ecb_EPOLLIN())
        if listenFD >= 0 { try register(listenFD, events: ecb_EPOLLIN()) }
    }

    deinit {
        readBytes.deallocate()
    }

    private func register(_ fd: Int32, events: UInt32) throws {
        var event = epoll_event()
        event.events = events
        event.data.u64 = UInt64(UInt32(bitPattern: fd))
        guard epoll_ctl(epollFD, EPOLL_CTL_ADD, fd, &event) == 0 else {
            throw HTTPServerError.system(call: "epoll_ctl", errno: ecb_errno())
        }
    }

    // MARK: - Cross-thread entry points

    /// Queues work for the loop; wakes it unless called on the loop's own thread (which drains the queue
    /// after every batch of events anyway).
    func submit(_ submission: Submission) {
        submissions.withLock { $0.append(submission) }
        guard UInt(pthread_self()) != threadID.load(ordering: .acquiring) else { return }
        if let batch = PendingWakeups.current {
            batch.add(self)  // woken when the batch of answers is complete (`ResponseBatch`)
            return
        }
        wake()
    }

    /// Makes the loop look at its queue (writes the eventfd unless a wake-up is already pending).
    func wake() {
        if !wakeupPending.exchange(true, ordering: .sequentiallyConsistent) {
            var one: UInt64 = 1
            _ = write(wakeFD, &one, 8)
        }
    }

    /// Blocks until the loop thread has exited.
    func waitUntilFinished() {
        finished.wait()
    }

    // MARK: - The loop

    func run() {
        threadID.store(UInt(pthread_self()), ordering: .releasing)
        let capacity = 256
        var events = [epoll_event](repeating: epoll_event(), count: capacity)
        now = Self.monotonicNow()
        while true {
            let count = events.withUnsafeMutableBufferPointer { buffer in
                epoll_wait(epollFD, buffer.baseAddress, Int32(capacity), nextWaitMilliseconds())
            }
            if count < 0, ecb_errno() != EINTR { break }
            now = Self.monotonicNow()
            for index in 0 ..< max(0, Int(count)) {
                let event = events[index]
                let fd = Int32(bitPattern: UInt32(truncatingIfNeeded: event.data.u64))
                if fd == wakeFD {
                    // Only drains the counter: `wakeupPending` stays set until the loop is about to block
                    // (`nextWaitMilliseconds`), so threads that hand work over while this turn runs do not
                    // write the eventfd again (each write woke this thread, preempting the store writer in
                    // the middle of a batch of completions).
                    var value: UInt64 = 0
                    _ = read(wakeFD, &value, 8)
                } else if fd == listenFD {
                    acceptConnections()
                } else if let connection = connection(for: fd) {
                    let mask = event.events
                    connection.handleEvents(
                        readable: mask & (ecb_EPOLLIN() | ecb_EPOLLRDHUP() | ecb_EPOLLHUP()) != 0,
                        writable: mask & ecb_EPOLLOUT() != 0,
                        error: mask & ecb_EPOLLERR() != 0,
                        hangUp: mask & ecb_EPOLLHUP() != 0,
                        peerClosed: mask & (ecb_EPOLLRDHUP() | ecb_EPOLLHUP()) != 0)
                }
            }
            processSubmissions()
            now = Self.monotonicNow()
            expireTimeouts()
            if isDraining, openCount == 0 || now >= drainDeadline { break }
        }
        for connection in connections.compactMap({ $0 }) { connection.close() }
        closeListener()
        Glibc.close(wakeFD)
        Glibc.close(epollFD)
        finished.signal()
    }

    /// Handles queued work. Responses answered synchronously can chain through a pipelined batch, so the
    /// rounds are bounded; whatever is left is taken on the next turn without sleeping.
    private func processSubmissions() {
        for _ in 0 ..< 32 {
            var batch: [Submission] = []
            submissions.withLock { queue in swap(&queue, &batch) }
            if batch.isEmpty { return }
            for submission in batch {
                switch submission {
                case .response(let id, let serial, let response):
                    let fd = Int32(bitPattern: UInt32(truncatingIfNeeded: id))
                    if let connection = connection(for: fd), connection.id == id {
                        connection.deliver(response, serial: serial)
                    }
                case .adopt(let fd, let remoteAddress):
                    adopt(fd, remoteAddress: remoteAddress)
                case .drain(let deadline):
                    beginDrain(deadline: deadline)
                }
            }
        }
    }

    private func beginDrain(deadline: UInt64) {
        guard !isDraining else { return }
        isDraining = true
        drainDeadline = deadline
        closeListener()
        for connection in connections.compactMap({ $0 }) where connection.isIdle { connection.close() }
    }

    private func closeListener() {
        guard listenFD >= 0 else { return }
        _ = epoll_ctl(epollFD, EPOLL_CTL_DEL, listenFD, nil)
        Glibc.close(listenFD)
        listenFD = -1
    }

    // MARK: - Connections

    private func connection(for fd: Int32) -> Connection? {
        let index = Int(fd)
        guard index >= 0, index < connections.count else { return nil }
        return connections[index]
    }

    private func acceptConnections() {
        for _ in 0 ..< 64 {
            var address = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let fd = withUnsafeMutablePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    ecb_accept4(listenFD, $0, &length, ecb_SOCK_NONBLOCK() | ecb_SOCK_CLOEXEC())
                }
            }
            if fd < 0 {
                let error = ecb_errno()
                if error == EINTR || error == ECONNABORTED { continue }
                return  // EAGAIN, or out of descriptors (level-triggered: retried on the next wakeup)
            }
            counters.acceptedConnections.add(1, ordering: .relaxed)
            let open = counters.openConnections.add(1, ordering: .relaxed).newValue
            guard open <= configuration.maxConnections else {
                counters.openConnections.subtract(1, ordering: .relaxed)
                refuseOverloaded(fd)
                continue
            }
            var one: Int32 = 1
            _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            adopt(fd, remoteAddress: SocketAddress.describe(address))
        }
    }

    /// Beyond `maxConnections`: a best-effort 503 without reading anything, then close (TLS: just close).
    private func refuseOverloaded(_ fd: Int32) {
        counters.reject(status: 503)
        guard tls == nil else {
            Glibc.close(fd)  // a plaintext 503 would be noise to a TLS client; the close says the same
            return
        }
        var output: [UInt8] = []
        var response = HTTPParseError.overloaded.response
        response.headers.add("Retry-After", "1")
        _ = ResponseSerializer.writeHead(response, requestMethod: "", requestVersion: .http1_1, close: true,
                                         date: currentDate(), into: &output)
        output.append(contentsOf: response.body)
        _ = output.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, ecb_MSG_NOSIGNAL() | Int32(MSG_DONTWAIT)) }
        _ = shutdown(fd, Int32(SHUT_WR))
        Glibc.close(fd)
    }

    /// Takes ownership of a connected, non-blocking socket (already counted in `openConnections`).
    private func adopt(_ fd: Int32, remoteAddress: String) {
        guard !isDraining else {
            counters.openConnections.subtract(1, ordering: .relaxed)
            Glibc.close(fd)
            return
        }
        let id = UInt64(nextGeneration) << 32 | UInt64(UInt32(bitPattern: fd))
        nextGeneration &+= 1
        if nextGeneration == 0 { nextGeneration = 1 }
        var parser = HTTPRequestParser(limits: configuration.parserLimits)
        parser.remoteAddress = remoteAddress
        let transport: any ConnectionTransport
        if let tls {
            guard let session = TLSTransport(fileDescriptor: fd, context: tls.context) else {
                counters.openConnections.subtract(1, ordering: .relaxed)
                Glibc.close(fd)
                return
            }
            transport = session
        } else {
            transport = SocketTransport(fileDescriptor: fd)
        }
        let connection = Connection(id: id, transport: transport, loop: self, parser: parser)
        let index = Int(fd)
        if index >= connections.count {
            connections.append(contentsOf: repeatElement(nil, count: index + 1 - connections.count))
        }
        connections[index] = connection
        openCount += 1
        do {
            try register(fd, events: ecb_EPOLLIN() | ecb_EPOLLOUT() | ecb_EPOLLRDHUP() | ecb_EPOLLET())
        } catch {
            connection.close()
            return
        }
        setTimeout(connection, transport.isHandshaking ? .read : .idle)
    }

    /// Called by `Connection.close()`.
    func remove(_ connection: Connection) {
        let index = Int(connection.transport.fileDescriptor)
        guard index >= 0, index < connections.count, connections[index] === connection else { return }
        connections[index] = nil
        openCount -= 1
        counters.openConnections.subtract(1, ordering: .relaxed)
    }

    // MARK: - Timeouts

    func setTimeout(_ connection: Connection, _ kind: TimeoutKind) {
        clearTimeout(connection)
        timeouts[kind.rawValue].append(connection, now: now)
        connection.timeoutKind = kind
    }

    func clearTimeout(_ connection: Connection) {
        guard let kind = connection.timeoutKind else { return }
        timeouts[kind.rawValue].remove(connection)
        connection.timeoutKind = nil
    }

    private func expireTimeouts() {
        for kind in TimeoutKind.allCases {
            while let connection = timeouts[kind.rawValue].head, connection.deadline <= now {
                clearTimeout(connection)
                connection.timeoutExpired(kind)
            }
        }
    }

    private func nextWaitMilliseconds() -> Int32 {
        // From here on a hand-over must wake the loop. Sequentially consistent with `submit`'s exchange:
        // either it sees `false` and writes the eventfd, or this check sees its submission.
        wakeupPending.store(false, ordering: .sequentiallyConsistent)
        if submissions.withLock({ !$0.isEmpty }) { return 0 }
        var next = drainDeadline
        for list in timeouts { if let head = list.head { next = min(next, head.deadline) } }
        guard next != .max else { return -1 }
        let current = Self.monotonicNow()
        guard next > current else { return 0 }
        return Int32(min(60_000, (next - current + 999_999) / 1_000_000))
    }

    func currentDate() -> [UInt8] { dateCache.current() }

    static func monotonicNow() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
    }
}
