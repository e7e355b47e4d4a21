import Foundation

/// `vaultctl policy ...`: named path rules.
enum PolicyCommands {
    static let spec = CommandSpec(
        group: "policy", summary: "Write, read, list and delete policies", subcommands: [put, get, list, delete])

    static let put = CommandSpec(
        "put", summary: "Create or replace a policy from a JSON file",
        discussion: """
            FILE holds {"rules": [{"path": "app/*", "capabilities": ["read", "list"]}]} (or just the array);
            '-' reads standard input. Capabilities: read, write, list, delete, lease, admin and deny. In a
            path '*' matches within one segment and '**' any number of segments. Anything not granted is
            denied, a matching deny rule wins, and otherwise the most specific rule (longest literal
            prefix) decides. Paths under sys/ govern the system: sys/policies/NAME, sys/tokens,
            sys/leases, sys/audit, sys/operator.
            """,
        arguments: [ArgumentSpec("NAME", "Policy name: a-z, 0-9, '.', '_', '-'"), ArgumentSpec("FILE", "JSON rules")]
    ) { (arguments) throws(CLIError) in
        let name = arguments.argument(0) ?? ""
        let file = arguments.argument(1) ?? "-"
        let data: Data
        if file == "-" {
            data = Data(Terminal.readAllInput())
        } else {
            guard let contents = FileManager.default.contents(atPath: file) else {
                throw CLIError.failed("cannot read \(file)")
            }
            data = contents
        }
        guard let parsed = try? JSONSerialization.jsonObject(with: data) else {
            throw CLIError.failed("\(file) is not JSON; expected {\"rules\": [...]}")
        }
        let body: [String: Any] = (parsed as? [String: Any]) ?? ["rules": parsed]
        let result = try APIClient(arguments.globals).call("PUT", "/v1/policies/" + APIClient.encode(name), body: body)
        if arguments.globals.format == .json {
            Output.json(result)
        } else {
            Terminal.write("stored policy \(name) with \((result["rules"] as? [Any])?.count ?? 0) rule(s)\n")
        }
    }

    static let get = CommandSpec(
        "get", summary: "Show a policy's rules", arguments: [ArgumentSpec("NAME", "Policy name")]
    ) { (arguments) throws(CLIError) in
        let name = arguments.argument(0) ?? ""
        let result = try APIClient(arguments.globals).call("GET", "/v1/policies/" + APIClient.encode(name))
        if arguments.globals.format == .json {
            Output.json(result)
            return
        }
        let rules = result["rules"] as? [[String: Any]] ?? []
        Output.table(
            ["PATH", "CAPABILITIES"],
            rules.map { [Output.text($0["path"]), ($0["capabilities"] as? [String] ?? []).joined(separator: ", ")] })
    }

    static let list = CommandSpec("list", summary: "List policy names") { (arguments) throws(CLIError) in
        let result = try APIClient(arguments.globals).call("GET", "/v1/policies")
        if arguments.globals.format == .json {
            Output.json(result)
            return
        }
        Terminal.write((result["policies"] as? [String] ?? []).map { $0 + "\n" }.joined())
    }

    static let delete = CommandSpec(
        "delete", summary: "Delete a policy", arguments: [ArgumentSpec("NAME", "Policy name")]
    ) { (arguments) throws(CLIError) in
        let name = arguments.argument(0) ?? ""
        let result = try APIClient(arguments.globals).call("DELETE", "/v1/policies/" + APIClient.encode(name))
        if arguments.globals.format == .json {
            Output.json(result)
        } else {
            Terminal.write("deleted policy \(name)\n")
        }
    }
}
