import Synchronization

/// Holds a stand-in's `SimulatorServer`, set once right after the stand-in is initialised, so the
/// server's routes can refer back to the stand-in (weakly) without an init-order cycle.
final class ServerBox: Sendable {
    private let slot = Mutex<SimulatorServer?>(nil)

    var server: SimulatorServer? {
        get { slot.withLock { $0 } }
        set { slot.withLock { $0 = newValue } }
    }

    struct NotConfigured: Error {}

    func require() throws -> SimulatorServer {
        guard let server else { throw NotConfigured() }
        return server
    }
}
