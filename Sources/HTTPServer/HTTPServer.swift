import CSystem
import Essentials
import FoundationEssentials
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The HTTP/1.1 listener: N event-loop threads over non-blocking sockets and epoll, strict parsing and hard
/// limits, and a handler that may answer from any thread. It knows nothing about the application.
public final class HTTPServer: Sendable {
    private enum Phase {
        case created, running, stopped
    }

    private struct State {
        var phase = Phase.created
        var loops: [EventLoop] = []
        var port = 0
        var nextLoop = 0
    }

    private let configuration: HTTPServerConfiguration
    private let handler: any HTTPHandler
    private let counters = StatisticsCounters()
    private let state = Mutex(State())
    private let shutdownLock = Mutex(false)
    private let tls: TLSContextStore?

    public init(configuration: HTTPServerConfiguration, handler: any HTTPHandler) {
        self.configuration = configuration
        self.handler = handler
        tls = configuration.tls.map(TLSContextStore.init)
    }

    /// Swaps the certificate and key for new connections (e.g. on SIGHUP). Connections that are already
    /// open keep the context they started with; nothing is dropped.
    public func reloadTLS(_ context: TLSServerContext) throws {
        guard let tls else { throw HTTPServerError.tlsNotEnabled }
        tls.replace(with: context)
    }

    /// True when the listener speaks TLS.
    public var isTLSEnabled: Bool { tls != nil }

    /// Binds (one SO_REUSEPORT socket per loop), starts the loop threads and returns the bound port.
    public func start() throws -> Int {
        try state.withLock { state in
            guard state.phase == .created else { throw HTTPServerError.alreadyStarted }
            // OpenSSL writes with write(2), not send(MSG_NOSIGNAL): a peer that vanished must not kill
            // the process with SIGPIPE.
            if tls != nil { signal(SIGPIPE, SIG_IGN) }
            let count = max(1, configuration.eventLoopCount)
            var listeners: [Int32] = []
            var port = configuration.port
            do {
                for _ in 0 ..< count {
                    let (fd, bound) = try ListeningSocket.open(host: configuration.host, port: port, backlog: configuration.backlog)
                    listeners.append(fd)
                    port = bound
                }
                var loops: [EventLoop] = []
                for fd in listeners {
                    loops.append(try EventLoop(configuration: configuration, handler: handler, counters: counters,
                                               tls: tls, listenFD: fd))
                }
                state.loops = loops
            } catch {
                for fd in listeners { close(fd) }
                throw error
            }
            for (index, loop) in state.loops.enumerated() {
                DetachedThread.start(name: "ecbridge-http-\(index)") { loop.run() }
            }
            state.port = port
            state.phase = .running
            return port
        }
    }

    /// The bound port (0 before `start()`).
    public var port: Int { state.withLock { $0.port } }

    public var statistics: HTTPServerStatistics { counters.snapshot }

    /// Stops accepting, closes idle connections, lets in-flight requests finish (their responses carry
    /// `Connection: close`) for at most `drainTimeout` seconds, then closes everything. Idempotent; blocks
    /// until every loop thread has finished.
    public func shutdown(drainTimeout: Double) {
        shutdownLock.withLock { done in
            guard !done else { return }
            done = true
            let loops = state.withLock { state -> [EventLoop] in
                let wasRunning = state.phase == .running
                state.phase = .stopped
                return wasRunning ? state.loops : []
            }
            let deadline = EventLoop.monotonicNow() + UInt64(max(0, drainTimeout) * 1_000_000_000)
            for loop in loops { loop.submit(.drain(deadline: deadline)) }
            for loop in loops { loop.waitUntilFinished() }
        }
    }

    /// Serves an already-connected stream socket (for tests over `socketpair`, or inherited sockets).
    /// The descriptor is made non-blocking and owned by the server from now on.
    func adoptConnection(fileDescriptor fd: Int32, remoteAddress: String) {
        let loop: EventLoop? = state.withLock { state in
            guard state.phase == .running, !state.loops.isEmpty else { return nil }
            state.nextLoop = (state.nextLoop + 1) % state.loops.count
            return state.loops[state.nextLoop]
        }
        guard let loop else {
            close(fd)
            return
        }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        counters.acceptedConnections.add(1, ordering: .relaxed)
        counters.openConnections.add(1, ordering: .relaxed)
        loop.submit(.adopt(fileDescriptor: fd, remoteAddress: remoteAddress))
    }
}
