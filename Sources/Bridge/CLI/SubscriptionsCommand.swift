import EnergyCoordination
import Essentials
import FoundationEssentials

/// `ecbridge subscriptions list|show|create|update|delete|test`: webhook registrations at Spark
/// (`/subscriptions` with apiVersion v1, `/webhooks` with 2024). Secrets are never printed, except a
/// generated one, once.
enum SubscriptionsCommand {
    static let usage = """
    usage: ecbridge subscriptions list [--json] [--config FILE]
           ecbridge subscriptions show ID
           ecbridge subscriptions create --url URL (--secret S | --generate-secret) [--name N]
                                         [--payload-types CurrentLevel,PowerLevel] [--operations Create,Update,Delete]
                                         [--notification-types ResourceLPCRequested,…]
           ecbridge subscriptions update ID [--url URL] [--secret S | --generate-secret] [--name N]
                                         [--payload-types …] [--operations …] [--notification-types …] [--enable | --disable]
           ecbridge subscriptions delete ID
           ecbridge subscriptions test ID

    Manages where Spark sends events. Needs the 'energyCoordination' configuration section.
    apiVersion v1 uses /subscriptions (--payload-types, --operations; empty = all);
    apiVersion 2024 uses /webhooks (--notification-types, --name, --enable/--disable).
    --generate-secret makes 32 random bytes and prints the secret once with the configuration to add.
    """

    static func run(_ argv: [String], console: Console) throws -> Int32 {
        let arguments = try CommandLineArguments(
            argv, valued: ["url", "secret", "name", "payload-types", "operations", "notification-types"],
            flags: ["generate-secret", "enable", "disable"])
        let subcommand = arguments.positionals.first ?? ""
        guard ["list", "show", "create", "update", "delete", "test"].contains(subcommand) else {
            throw CLIError.usage("expected list, show ID, create, update ID, delete ID or test ID")
        }
        let (_, client) = try PartnerCommandSupport.client(arguments)
        switch subcommand {
        case "list":
            try PartnerCommandSupport.noExtraPositionals(arguments)
            let items = try client.listSubscriptions()
            if arguments.has("json") {
                console.print(JSON.array(items.map(\.summaryJSON)).prettyText)
            } else if items.isEmpty {
                console.print("no subscriptions")
            } else {
                var table = TextTable(["ID", "URL", "FILTER", "SECRET", "STATUS"])
                for item in items { table.add(row(item)) }
                console.print(table.render())
            }
        case "show":
            let item = try client.subscription(id: PartnerCommandSupport.id(arguments, "show"))
            console.print(item.summaryJSON.prettyText)
        case "create", "update":
            try save(subcommand, arguments, client: client, console: console)
        case "delete":
            let id = try PartnerCommandSupport.id(arguments, "delete")
            try client.deleteSubscription(id: id)
            console.print("deleted subscription \(id)")
        default:
            let id = try PartnerCommandSupport.id(arguments, "test")
            try client.testSubscription(id: id)
            console.print("test notification requested for subscription \(id)")
        }
        return 0
    }

    private static func save(_ subcommand: String, _ arguments: CommandLineArguments, client: EnergyCoordinationClient,
                             console: Console) throws {
        let isV1 = client.apiVersion == .v1
        if isV1 {
            for name in ["notification-types", "name"] where arguments.value(name) != nil {
                throw CLIError.usage("--\(name) needs apiVersion 2024 (this configuration uses v1)")
            }
            if arguments.has("enable") || arguments.has("disable") {
                throw CLIError.usage("--enable/--disable need apiVersion 2024 (this configuration uses v1)")
            }
        } else {
            for name in ["payload-types", "operations"] where arguments.value(name) != nil {
                throw CLIError.usage("--\(name) is a v1 filter; with apiVersion 2024 use --notification-types")
            }
        }
        if arguments.has("enable") && arguments.has("disable") { throw CLIError.usage("--enable and --disable exclude each other") }
        if arguments.value("secret") != nil && arguments.has("generate-secret") {
            throw CLIError.usage("--secret and --generate-secret exclude each other")
        }
        if let url = arguments.value("url") {
            guard let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme?.lowercased() ?? ""), parsed.host != nil else {
                throw CLIError.usage("--url must be an absolute http(s) URL")
            }
        }
        var generated: String?
        if arguments.has("generate-secret") { generated = try PartnerCommandSupport.generateSecret() }
        let draft = SubscriptionDraft(url: arguments.value("url"), secret: generated ?? arguments.value("secret"),
                                      name: arguments.value("name"),
                                      eventPayloadTypes: PartnerCommandSupport.list(arguments, "payload-types"),
                                      operationTypes: PartnerCommandSupport.list(arguments, "operations"),
                                      notificationTypes: PartnerCommandSupport.list(arguments, "notification-types"))
        let saved: WebhookSubscription
        if subcommand == "create" {
            try PartnerCommandSupport.noExtraPositionals(arguments)
            guard draft.url != nil else { throw CLIError.usage("--url is required") }
            guard draft.secret != nil else {
                throw CLIError.usage("a webhook secret is required (ecbridge rejects unsigned webhooks): pass --secret S or --generate-secret")
            }
            saved = try client.createSubscription(draft)
        } else {
            let id = try PartnerCommandSupport.id(arguments, "update")
            var updated = draft == SubscriptionDraft() ? nil : try client.updateSubscription(id: id, draft)
            if arguments.has("enable") || arguments.has("disable") {
                try client.setSubscriptionEnabled(id: id, arguments.has("enable"))
                updated = try client.subscription(id: id)
            }
            guard let updated else { throw CLIError.usage("nothing to change: give at least one option") }
            saved = updated
        }
        if arguments.has("json") {
            console.print(JSON.members([("subscription", saved.summaryJSON), ("generatedSecret", generated.map(JSON.string))]).prettyText)
            return
        }
        console.print("\(subcommand == "create" ? "created" : "updated") subscription \(saved.id)")
        var table = TextTable(["ID", "URL", "FILTER", "SECRET", "STATUS"])
        table.add(row(saved))
        console.print(table.render())
        if let generated { console.print(PartnerCommandSupport.secretInstructions(generated, webhookURL: saved.url ?? draft.url)) }
    }

    static func row(_ item: WebhookSubscription) -> [String] {
        let filters = item.notificationTypes + item.eventPayloadTypes + item.operationTypes
        let status = [item.enabled.map { $0 ? "enabled" : "disabled" }, item.status].compactMap { $0 }.joined(separator: " ")
        return [item.id, item.url ?? "-", filters.isEmpty ? "all" : filters.joined(separator: ","),
                item.hasSecret ? "set" : (item.raw["webhookSecret"] == nil && item.secret == nil ? "hidden" : "none"),
                status.isEmpty ? "-" : status]
    }
}
