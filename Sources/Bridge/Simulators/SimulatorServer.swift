import Dispatch
import FoundationEssentials
import HTTPServer
import Synchronization

/// The part every stand-in shares: our own `HTTPServer` on a host and port (0 = any free port), the
/// fault switches applied in front of the routes, slow responses, lost responses, and the request log
/// (kept for tests, and written as one JSON line per request when a logger is given).
final class SimulatorServer: Sendable {
    typealias Routes = @Sendable (HTTPRequest) -> SimulatorReply
    typealias FaultResponse = @Sendable (_ status: Int, _ message: String) -> HTTPResponse

    private final class Handler: HTTPHandler {
        let routes: Routes
        let faultResponse: FaultResponse
        let injector: FaultInjector
        let log: SimulatorRequestLog
        let logger: Logger?

        init(routes: @escaping Routes, faultResponse: @escaping FaultResponse, injector: FaultInjector,
             log: SimulatorRequestLog, logger: Logger?) {
            self.routes = routes
            self.faultResponse = faultResponse
            self.injector = injector
            self.log = log
            self.logger = logger
        }

        func handle(_ request: HTTPRequest, respond: @escaping @Sendable (HTTPResponse) -> Void) {
            let decision = injector.next()
            var reply: SimulatorReply
            var fault: String?
            switch decision.answer {
            case .rateLimited:
                var response = faultResponse(429, "Too many requests, try again later")
                response.headers.set("Retry-After", "1")
                reply = SimulatorReply(response)
                fault = "rate-limited"
            case .unavailable:
                reply = SimulatorReply(faultResponse(503, "Service unavailable (simulated)"))
                fault = "unavailable"
            case .handle:
                reply = routes(request)
                if decision.drop { fault = "dropped" }
            }
            let head = request.head
            let target = head.query.map { head.path + "?" + $0 } ?? head.path
            let record = log.append(method: head.method, target: target, status: reply.response.status,
                                    fault: fault, message: reply.message)
            if let logger {
                var fields: [(String, String)] = [("seq", String(record.sequence)), ("method", record.method),
                                                  ("target", record.target), ("status", String(record.status))]
                if let fault { fields.append(("fault", fault)) }
                if let message = reply.message { fields.append(("message", message)) }
                logger.info("request", fields)
            }
            let response = decision.drop ? HTTPResponse.aborted : reply.response
            let delay = injector.faults.slowMilliseconds
            if delay > 0 {
                DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(delay)) { respond(response) }
            } else {
                respond(response)
            }
        }
    }

    private let server: HTTPServer
    private let log = SimulatorRequestLog()
    let host: String

    init(host: String, port: Int, faults: SimulatorFaults, logger: Logger?,
         faultResponse: @escaping FaultResponse, routes: @escaping Routes) {
        self.host = host
        let configuration = HTTPServerConfiguration(host: host, port: port, eventLoopCount: 1)
        server = HTTPServer(configuration: configuration,
                            handler: Handler(routes: routes, faultResponse: faultResponse, injector: FaultInjector(faults),
                                             log: log, logger: logger))
    }

    /// Binds and starts serving; returns the bound port.
    func start() throws -> Int { try server.start() }

    /// Stops serving (in-flight requests get up to one second).
    func stop() { server.shutdown(drainTimeout: 1) }

    var port: Int { server.port }

    /// `http://host:port` (an IPv6 host in brackets).
    var baseURL: String {
        let shown = host.contains(":") ? "[\(host)]" : host
        return "http://\(shown):\(port)"
    }

    var requests: [SimulatorRequestRecord] { log.all }
}
