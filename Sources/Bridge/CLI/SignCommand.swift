import Essentials
import FoundationEssentials
import SolarNetwork
import WebhookAuth

/// `ecbridge sign …`: prints the headers a sender (or a SolarNetwork client) would send, for curl and tests.
enum SignCommand {
    static let usage = """
    usage: ecbridge sign spark --secret S [--file F]
           ecbridge sign standard-webhooks --secret whsec_… --id ID --timestamp T [--file F]
           ecbridge sign stripe --secret S [--timestamp T] [--file F]
           ecbridge sign github --secret S [--file F]
           ecbridge sign snws2 --token T --secret S --date ISO8601 --method M --url URL
                               [--header 'K: V']… [--file F] [--digest] [--date-header x-sn-date|date] [--verbose]

    The body is read from --file, else standard input, and signed byte for byte.
    """

    static func run(_ argv: [String], console: Console) throws -> Int32 {
        let arguments = try CommandLineArguments(
            argv, valued: ["secret", "file", "id", "timestamp", "token", "date", "method", "url", "header", "date-header"],
            flags: ["digest", "verbose"])
        guard let schemeName = arguments.positionals.first else { throw CLIError.usage("name a scheme: spark, standard-webhooks, stripe, github or snws2") }
        if schemeName == "snws2" { return try signSNWS2(arguments, console: console) }
        guard let scheme = WebhookScheme(rawValue: schemeName), scheme != .bearer else {
            throw CLIError.usage("unknown scheme '\(schemeName)'")
        }
        let secret = try arguments.required("secret")
        let body = try ECBridgeCLI.body(arguments, console: console)
        var timestamp = try arguments.int("timestamp")
        if scheme == .standardWebhooks {
            _ = try arguments.required("id")
            guard timestamp != nil else { throw CLIError.usage("--timestamp is required") }
        }
        if scheme == .stripe && timestamp == nil { timestamp = Int(Date().timeIntervalSince1970) }
        let headers = try WebhookSigner.headers(scheme: scheme, secret: secret, body: body, id: arguments.value("id"), timestamp: timestamp)
        for header in headers { console.print("\(header.name): \(header.value)") }
        return 0
    }

    static func signSNWS2(_ arguments: CommandLineArguments, console: Console) throws -> Int32 {
        let token = try arguments.required("token")
        let secret = try arguments.required("secret")
        let dateText = try arguments.required("date")
        guard let date = Timestamp.parse(dateText) else { throw CLIError.usage("--date must be an ISO 8601 time with a zone, e.g. 2017-04-25T14:30:00Z") }
        let method = try arguments.required("method").uppercased()
        guard let url = URL(string: try arguments.required("url")), url.host != nil else { throw CLIError.usage("--url must be an absolute URL") }
        var extra: [(String, String)] = []
        for header in arguments.values("header") {
            guard let colon = header.firstIndex(of: ":") else { throw CLIError.usage("--header must look like 'Name: value'") }
            extra.append((String(header[..<colon]).trimmingWhitespace(),
                          String(header[header.index(after: colon)...]).trimmingWhitespace()))
        }
        let dateHeader: SNWS2Signer.DateHeaderName
        switch arguments.value("date-header") ?? "x-sn-date" {
        case "x-sn-date": dateHeader = .xSnDate
        case "date": dateHeader = .date
        default: throw CLIError.usage("--date-header must be x-sn-date or date")
        }
        let hasBody = arguments.value("file") != nil || !["GET", "HEAD", "DELETE"].contains(method)
        let body = hasBody ? try ECBridgeCLI.body(arguments, console: console) : []
        let signer = SNWS2Signer(credentials: SNWS2Credentials(token: token, secret: secret))
        let signed = signer.sign(method: method, url: url, body: body, date: date, headers: extra,
                                 digest: arguments.has("digest"), dateHeader: dateHeader)
        for (name, value) in signed.headers where name.lowercased() != "host" || arguments.has("verbose") {
            console.print("\(name): \(value)")
        }
        if arguments.has("verbose") {
            let stringToSign = signer.stringToSign(canonicalRequest: signed.canonicalRequest, date: date)
            console.print("\n# canonical request\n\(signed.canonicalRequest)\n\n# string to sign\n\(stringToSign)")
        }
        return 0
    }
}
