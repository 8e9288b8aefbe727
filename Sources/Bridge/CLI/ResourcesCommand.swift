import EnergyCoordination
import Essentials
import FoundationEssentials

/// `ecbridge resources list|show|create|update|delete`: vehicles registered with Spark.
enum ResourcesCommand {
    static let usage = """
    usage: ecbridge resources list [--json] [--config FILE]
           ecbridge resources show ID
           ecbridge resources create --id ID [--user-id U] --vin V --brand B --model M --year Y
           ecbridge resources update ID [--user-id U] [--vin V] [--brand B] [--model M] [--year Y]
           ecbridge resources delete ID

    Registers vehicles (resourceType Vehicle) with the Energy Coordination API. ID is the resourceId that
    events name and that ecbridge's targets match. Needs the 'energyCoordination' configuration section.
    """

    static func run(_ argv: [String], console: Console) throws -> Int32 {
        let arguments = try CommandLineArguments(argv, valued: ["id", "user-id", "vin", "brand", "model", "year"], flags: [])
        let subcommand = arguments.positionals.first ?? ""
        guard ["list", "show", "create", "update", "delete"].contains(subcommand) else {
            throw CLIError.usage("expected list, show ID, create, update ID or delete ID")
        }
        let year = try arguments.int("year")
        let (_, client) = try PartnerCommandSupport.client(arguments)
        switch subcommand {
        case "list":
            try PartnerCommandSupport.noExtraPositionals(arguments)
            let items = try client.listResources()
            if arguments.has("json") {
                console.print(JSON.array(items.map(\.raw)).prettyText)
            } else if items.isEmpty {
                console.print("no resources")
            } else {
                var table = TextTable(["RESOURCE", "USER", "TYPE", "BRAND", "MODEL", "YEAR", "VIN"])
                for item in items { table.add(row(item)) }
                console.print(table.render())
            }
        case "show":
            console.print(try client.resource(id: PartnerCommandSupport.id(arguments, "show")).raw.prettyText)
        case "create":
            try PartnerCommandSupport.noExtraPositionals(arguments)
            let draft = ResourceDraft(resourceId: try arguments.required("id"), userId: arguments.value("user-id"),
                                      vin: try arguments.required("vin"), brand: try arguments.required("brand"),
                                      model: try arguments.required("model"), year: year)
            guard year != nil else { throw CLIError.usage("--year is required") }
            print(try client.createResource(draft), verb: "created", arguments, console)
        case "update":
            let id = try PartnerCommandSupport.id(arguments, "update")
            if arguments.value("id") != nil { throw CLIError.usage("the resource id is the argument after 'update'; --id is for create") }
            let draft = ResourceDraft(resourceId: id, userId: arguments.value("user-id"), vin: arguments.value("vin"),
                                      brand: arguments.value("brand"), model: arguments.value("model"), year: year)
            guard draft != ResourceDraft(resourceId: id) else { throw CLIError.usage("nothing to change: give at least one option") }
            print(try client.updateResource(draft), verb: "updated", arguments, console)
        default:
            let id = try PartnerCommandSupport.id(arguments, "delete")
            try client.deleteResource(id: id)
            console.print("deleted resource \(id)")
        }
        return 0
    }

    private static func print(_ resource: PartnerResource, verb: String, _ arguments: CommandLineArguments, _ console: Console) {
        if arguments.has("json") {
            console.print(resource.raw.prettyText)
            return
        }
        console.print("\(verb) resource \(resource.resourceId)")
        var table = TextTable(["RESOURCE", "USER", "TYPE", "BRAND", "MODEL", "YEAR", "VIN"])
        table.add(row(resource))
        console.print(table.render())
    }

    static func row(_ item: PartnerResource) -> [String] {
        [item.resourceId, item.userId ?? "-", item.resourceType ?? "-", item.brand ?? "-", item.model ?? "-", item.year ?? "-",
         item.vin ?? "-"]
    }
}
