import Foundation

/// `vaultctl lease ...`: listing, renewing and revoking secret leases. Values are never shown here.
enum LeaseCommands {
    static let spec = CommandSpec(
        group: "lease", summary: "List, renew and revoke secret leases", subcommands: [list, renew, revoke])

    static let list = CommandSpec(
        "list", summary: "List leases without their values (the current token's by default)",
        options: [
            OptionSpec("job", value: "ID", "The leases of CI job ID (needs admin on sys/leases)"),
            OptionSpec("token", value: "ID", "The leases of the token with id ID"),
        ]
    ) { (arguments) throws(CLIError) in
        var query: [(String, String)] = []
        if let job = arguments.value("job") { query.append(("job", job)) }
        if let token = arguments.value("token") { query.append(("token", token)) }
        let result = try APIClient(arguments.globals).call("GET", "/v1/leases", query: query)
        if arguments.globals.format == .json {
            Output.json(result)
            return
        }
        let leases = result["leases"] as? [[String: Any]] ?? []
        Output.table(
            ["ID", "PATH", "VERSION", "STATE", "EXPIRES", "USES LEFT"],
            leases.map { lease in
                ["id", "path", "version", "state", "expires_at", "uses_left"].map { Output.text(lease[$0]) }
            })
    }

    static let renew = CommandSpec(
        "renew", summary: "Extend a lease, up to its maximum TTL",
        discussion: "The new expiry is counted from now; past the lease's maximum it is capped there.",
        options: [OptionSpec("increment", value: "DURATION", "How long from now (default: the lease's own TTL)")],
        arguments: [ArgumentSpec("ID", "Lease id")]
    ) { (arguments) throws(CLIError) in
        var body: [String: Any] = [:]
        if let increment = arguments.value("increment") { body["increment"] = increment }
        let id = arguments.argument(0) ?? ""
        let result = try APIClient(arguments.globals).call(
            "POST", "/v1/leases/" + APIClient.encode(id) + "/renew", body: body)
        if arguments.globals.format == .json {
            Output.json(result)
            return
        }
        let capped = (result["capped"] as? Bool) == true ? " (capped at the lease's maximum)" : ""
        Terminal.write("renewed until \(Output.text(result["expires_at"]))\(capped)\n")
    }

    static let revoke = CommandSpec(
        "revoke", summary: "Revoke one lease, or every active lease of a CI job with --job",
        options: [OptionSpec("job", value: "ID", "Revoke every active lease of CI job ID")],
        arguments: [ArgumentSpec("ID", required: false, "Lease id")]
    ) { (arguments) throws(CLIError) in
        let client = APIClient(arguments.globals)
        let job = arguments.value("job")
        let id = arguments.argument(0)
        guard (job == nil) != (id == nil) else {
            throw CLIError(.usage, "give a lease ID or --job ID, not both and not neither", usage: arguments.usage)
        }
        if let id {
            let result = try client.call("DELETE", "/v1/leases/" + APIClient.encode(id))
            if arguments.globals.format == .json { Output.json(result) } else { Terminal.write("revoked lease\n") }
            return
        }
        // The API revokes one lease per call; a job's leases are listed and revoked one by one.
        var count = 0
        while true {
            let listed = try client.call("GET", "/v1/leases", query: [("job", job ?? "")])
            let active = (listed["leases"] as? [[String: Any]] ?? []).filter { ($0["state"] as? String) == "active" }
            if active.isEmpty { break }
            for lease in active {
                try client.call("DELETE", "/v1/leases/" + APIClient.encode(Output.text(lease["id"])))
                count += 1
            }
        }
        if arguments.globals.format == .json {
            Output.json(["job": job ?? "", "revoked_leases": count])
        } else {
            Terminal.write("revoked \(count) lease(s) of job \(job ?? "")\n")
        }
    }
}
