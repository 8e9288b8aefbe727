import EnergyCoordination
import Foundation
import HTTPServer
import WebhookAuth
#if canImport(Glibc)
import Glibc
#endif

/// `ecbridge-bench verify-server`: our HTTP listener with a handler that only verifies and decodes, then
/// answers 200 — no store. Measured beside `serve`, it separates HTTP + verification cost from
/// durability cost (and is the like-for-like of the Hummingbird reference, which did HMAC + JSON parse).
enum VerifyServerCommand {
    static let usage = """
    usage: ecbridge-bench verify-server --secret S [--port 0] [--event-loops 0] [--scheme spark]

    Serves POST /webhooks/energy-coordination (verify + decode, answer 200) and GET /readyz until SIGTERM or
    SIGINT. Prints "listening PORT" on standard output once ready. --event-loops 0 = one per CPU.
    """

    static func run(_ argv: [String]) throws -> Int32 {
        let arguments = try BenchArguments(argv, valued: ["secret", "port", "event-loops", "scheme"])
        let schemeName = arguments.string("scheme", default: "spark")
        guard let scheme = WebhookScheme(rawValue: schemeName) else { throw BenchError("unknown --scheme \(schemeName)") }
        let verifier = try WebhookVerifier(scheme: scheme, secrets: [try arguments.required("secret")])
        var configuration = HTTPServerConfiguration()
        configuration.port = try arguments.int("port", default: 0)
        let loops = try arguments.int("event-loops", default: 0)
        if loops > 0 { configuration.eventLoopCount = loops }
        let server = HTTPServer(configuration: configuration, handler: VerifyOnlyHandler(verifier: verifier))
        signal(SIGPIPE, SIG_IGN)
        let port = try server.start()
        print("listening \(port)")
        fflush(nil)
        let stop = DispatchSemaphore(value: 0)
        var sources: [DispatchSourceSignal] = []
        for number in [SIGTERM, SIGINT] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { stop.signal() }
            source.resume()
            sources.append(source)
        }
        stop.wait()
        server.shutdown(drainTimeout: 2)
        _ = sources
        return 0
    }
}

/// Verify the signature on the raw body, hash it, decode it to a `CoordinationEvent`, answer 200 with the
/// same small JSON the real intake sends — everything `serve` does except the store.
struct VerifyOnlyHandler: HTTPHandler {
    let verifier: WebhookVerifier
    let options = DecodeOptions()

    func handle(_ request: HTTPRequest, respond: @escaping @Sendable (HTTPResponse) -> Void) {
        if request.head.path == "/readyz" || request.head.path == "/healthz" {
            respond(HTTPResponse.text(status: 200, "ready\n"))
            return
        }
        guard request.head.method == "POST" else {
            respond(HTTPResponse.problem(status: 405, title: "Method Not Allowed"))
            return
        }
        let headers = request.head.headers
        guard case .verified = verifier.verify(headers: { headers[$0] }, body: request.body, now: Date()) else {
            respond(HTTPResponse.problem(status: 401, title: "Unauthorized"))
            return
        }
        let digest = Hex.encode(SHA256.hash(request.body))
        do {
            let decoded = try NotificationDecoder.decode(body: request.body, bodySHA256Hex: digest, options: options)
            respond(HTTPResponse.json(status: 200, "{\"status\":\"accepted\",\"id\":1,\"operation\":\"\(decoded.event.operation?.rawValue ?? "Create")\"}"))
        } catch {
            respond(HTTPResponse.problem(status: 400, title: "Bad Request", detail: error.reason))
        }
    }
}
