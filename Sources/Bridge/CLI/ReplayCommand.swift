import Essentials
import FoundationEssentials
import WebhookAuth

/// `ecbridge replay FILE…`: signs each file per the configured webhook and POSTs it byte for byte,
/// the way the sender would — the quickest way to exercise a running `serve`.
enum ReplayCommand {
    static let usage = """
    usage: ecbridge replay FILE… [--url URL] [--path WEBHOOK_PATH] [--config FILE]

    Signs each file with the scheme and first secret of the configured webhook (the first one, or the one
    at --path) and POSTs it unchanged to --url (default: http://<listen.host>:<listen.port><path>).
    Prints one line per file; exits 1 if any answer is not 2xx.
    For standard-webhooks the id is derived from the body (replays deduplicate) and the timestamp is now.
    """

    static func run(_ argv: [String], console: Console) throws -> Int32 {
        let arguments = try CommandLineArguments(argv, valued: ["url", "path"], flags: [])
        guard !arguments.positionals.isEmpty else { throw CLIError.usage("name at least one file to replay") }
        let configuration = try ECBridgeCLI.configuration(arguments)
        let hook: WebhookEndpointSettings
        if let path = arguments.value("path") {
            guard let match = configuration.webhooks.first(where: { $0.path == path }) else {
                throw CLIError("no webhook configured at \(path)")
            }
            hook = match
        } else {
            guard let first = configuration.webhooks.first else { throw CLIError("the configuration has no webhooks to sign for") }
            hook = first
        }
        guard let scheme = WebhookScheme(rawValue: hook.scheme) else { throw CLIError("unknown scheme \(hook.scheme)") }
        guard let secretReference = hook.secrets.first else { throw CLIError("webhook \(hook.path) has no secret") }
        let secret = try secretReference.resolve()
        let urlText = arguments.value("url") ?? "http://\(Self.hostForURL(configuration.listen.host)):\(configuration.listen.port)\(hook.path)"
        guard let url = URL(string: urlText), url.host != nil else { throw CLIError.usage("--url must be an absolute URL") }

        let client = OutboundHTTPClient(timeout: 30)
        var failures = 0
        for file in arguments.positionals {
            guard let data = FileManager.default.contents(atPath: file) else {
                console.error("\(file): cannot read")
                failures += 1
                continue
            }
            let body = Array(data)
            var headers: [(String, String)] = [("Content-Type", "application/json")]
            switch scheme {
            case .bearer:
                headers.append(("Authorization", "Bearer \(secret)"))
            default:
                let id = "msg_" + String(Hex.encode(SHA256.hash(body)).prefix(24))
                let signed = try WebhookSigner.headers(scheme: scheme, secret: secret, body: body, id: id,
                                                       timestamp: Int(Date().timeIntervalSince1970))
                headers += signed.map { ($0.name, $0.value) }
            }
            do {
                let response = try client.send(method: "POST", url: url, headers: headers, body: body)
                let text = String(decoding: response.body.prefix(300), as: UTF8.self)
                console.print("\(file) → \(response.status) \(text)")
                if !(200..<300).contains(response.status) { failures += 1 }
            } catch {
                console.error("\(file): \(error.description)")
                failures += 1
            }
        }
        return failures == 0 ? 0 : 1
    }

    static func hostForURL(_ host: String) -> String {
        if host == "0.0.0.0" || host.isEmpty { return "127.0.0.1" }
        if host == "::" { return "[::1]" }
        return host.contains(":") ? "[\(host)]" : host
    }
}
