import Foundation

/// `vaultctl secret ...`: versioned secrets.
enum SecretCommands {
    static let spec = CommandSpec(
        group: "secret", summary: "Store, read and manage versioned secrets",
        subcommands: [put, get, list, versions, delete, undelete, destroy])

    static let put = refusingValueArguments(putCommand)

    private static func refusingValueArguments(_ command: CommandSpec) -> CommandSpec {
        var command = command
        command.extraArgumentsMessage =
            "secret values are never taken from the command line, where the process list and shell history "
            + "would keep them; pipe the value in, use --file, or type it at the prompt"
        return command
    }

    private static let putCommand = CommandSpec(
        "put", summary: "Store a new version of a secret",
        discussion: """
            The value is read from --file (stored exactly), from standard input when it is piped (one
            trailing newline is removed), or from a prompt that does not echo. It is never taken from the
            command line, where it would show in the process list and the shell history.

            Example: printf %s "$DB_PASSWORD" | vaultctl secret put payment-service/DB_PASSWORD
            """,
        options: [
            OptionSpec("file", value: "FILE", "Read the value from FILE"),
            OptionSpec(
                "cas", value: "N", "Write only if the current version is N (0: only if the secret does not exist)"),
        ],
        arguments: [ArgumentSpec("PATH", "Secret path, segments of [A-Za-z0-9._-] joined by '/'")]
    ) { (arguments) throws(CLIError) in
        let path = arguments.argument(0) ?? ""
        let value = try readValue(file: arguments.value("file"))
        var body: [String: Any] = ["value": value]
        if let cas = try arguments.integer("cas", in: 0...Int64.max) { body["cas"] = cas }
        let client = APIClient(arguments.globals)
        let result = try client.call("PUT", "/v1/secrets/" + APIClient.encodePath(path), body: body)
        if arguments.globals.format == .json {
            Output.json(result)
        } else {
            Terminal.write("stored \(path) version \(Output.text(result["version"]))\n")
        }
    }

    static let get = CommandSpec(
        "get", summary: "Print a secret's value",
        discussion: "Prints the bare value, so it pipes; --format json prints the whole record.",
        options: [OptionSpec("version", value: "N", "Read version N instead of the current one")],
        arguments: [ArgumentSpec("PATH", "Secret path")]
    ) { (arguments) throws(CLIError) in
        var query: [(String, String)] = []
        if let version = try arguments.integer("version", in: 1...Int64.max) { query.append(("version", "\(version)")) }
        let client = APIClient(arguments.globals)
        let path = arguments.argument(0) ?? ""
        let result = try client.call("GET", "/v1/secrets/" + APIClient.encodePath(path), query: query)
        if arguments.globals.format == .json {
            Output.json(result)
            return
        }
        let value = result["value"] as? String ?? ""
        Terminal.write(Terminal.isOutputInteractive ? value + "\n" : value)
    }

    static let list = CommandSpec(
        "list", summary: "List secrets under a prefix (metadata only, never values)",
        arguments: [ArgumentSpec("PREFIX", required: false, "Path prefix, such as 'payment-service/'")]
    ) { (arguments) throws(CLIError) in
        let client = APIClient(arguments.globals)
        var query: [(String, String)] = []
        if let prefix = arguments.argument(0) { query.append(("prefix", prefix)) }
        let result = try client.call("GET", "/v1/secrets", query: query)
        let secrets = result["secrets"] as? [[String: Any]] ?? []
        if arguments.globals.format == .json {
            Output.json(result)
            return
        }
        Output.table(
            ["PATH", "VERSION", "UPDATED"],
            secrets.map {
                [Output.text($0["path"]), Output.text($0["current_version"]), Output.text($0["updated_at"])]
            })
    }

    static let versions = CommandSpec(
        "versions", summary: "List a secret's kept versions",
        arguments: [ArgumentSpec("PATH", "Secret path")]
    ) { (arguments) throws(CLIError) in
        let client = APIClient(arguments.globals)
        let path = arguments.argument(0) ?? ""
        let result = try client.call("GET", "/v1/secrets/" + APIClient.encodePath(path) + "/versions")
        if arguments.globals.format == .json {
            Output.json(result)
            return
        }
        let rows = (result["versions"] as? [[String: Any]] ?? []).map { version -> [String] in
            let state =
                !(version["destroyed_at"] is NSNull)
                ? "destroyed" : !(version["deleted_at"] is NSNull) ? "deleted" : "active"
            return [
                Output.text(version["version"]), state, Output.text(version["created_at"]),
                Output.text(version["key_term"]),
            ]
        }
        Output.table(["VERSION", "STATE", "CREATED", "KEY TERM"], rows)
    }

    static let delete = CommandSpec(
        "delete", summary: "Soft-delete a version (the current one by default); undelete restores it",
        options: [OptionSpec("version", value: "N", "Delete version N")],
        arguments: [ArgumentSpec("PATH", "Secret path")]
    ) { (arguments) throws(CLIError) in
        var query: [(String, String)] = []
        if let version = try arguments.integer("version", in: 1...Int64.max) { query.append(("version", "\(version)")) }
        let path = arguments.argument(0) ?? ""
        let result = try APIClient(arguments.globals).call(
            "DELETE", "/v1/secrets/" + APIClient.encodePath(path), query: query)
        report(result, arguments, "deleted \(path) version \(Output.text(result["version"]))")
    }

    static let undelete = CommandSpec(
        "undelete", summary: "Restore a soft-deleted version",
        options: [OptionSpec("version", value: "N", "The version to restore (required)")],
        arguments: [ArgumentSpec("PATH", "Secret path")]
    ) { (arguments) throws(CLIError) in
        try changeVersion(arguments, action: "undelete", done: "restored")
    }

    static let destroy = CommandSpec(
        "destroy", summary: "Wipe a version's value for good",
        options: [OptionSpec("version", value: "N", "The version to destroy (required)")],
        arguments: [ArgumentSpec("PATH", "Secret path")]
    ) { (arguments) throws(CLIError) in
        try changeVersion(arguments, action: "destroy", done: "destroyed")
    }

    private static func changeVersion(_ arguments: ParsedArguments, action: String, done: String) throws(CLIError) {
        guard let version = try arguments.integer("version", in: 1...Int64.max) else {
            throw CLIError(.usage, "--version N is required", usage: arguments.usage)
        }
        let path = arguments.argument(0) ?? ""
        let result = try APIClient(arguments.globals).call(
            "POST", "/v1/secrets/" + APIClient.encodePath(path) + "/" + action, body: ["version": version])
        report(result, arguments, "\(done) \(path) version \(version)")
    }

    private static func report(_ result: [String: Any], _ arguments: ParsedArguments, _ line: String) {
        if arguments.globals.format == .json {
            Output.json(result)
        } else {
            Terminal.write(line + "\n")
        }
    }

    /// The value to store, from a file, piped input or a hidden prompt.
    private static func readValue(file: String?) throws(CLIError) -> String {
        let bytes: [UInt8]
        if let file {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw CLIError.failed("cannot read \(file)")
            }
            bytes = Array(data)
        } else if Terminal.isInputInteractive {
            bytes = Array(try Terminal.readHidden(prompt: "Value (input hidden): ").utf8)
        } else {
            var input = Terminal.readAllInput()
            if input.last == UInt8(ascii: "\n") { input.removeLast() }
            if input.last == UInt8(ascii: "\r") { input.removeLast() }
            bytes = input
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw CLIError.failed("the value is not UTF-8 text; store binary values base64-encoded")
        }
        return text
    }
}
