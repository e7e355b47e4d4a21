import Foundation

/// `vaultctl token ...`: child tokens, lookup and revocation.
enum TokenCommands {
    static let spec = CommandSpec(
        group: "token", summary: "Create, look up and revoke tokens", subcommands: [create, lookup, revoke])

    static let create = CommandSpec(
        "create", summary: "Create a child token of the current token",
        discussion: """
            The new token holds the given policies (only policies the current token holds, unless it has
            admin on sys/tokens) and never outlives the current token. Revoking the current token revokes
            the new one and its leases too. The token is printed once; the server keeps only its hash.
            """,
        options: [
            OptionSpec("policy", value: "P", repeatable: true, "A policy for the new token (repeatable)"),
            OptionSpec("ttl", value: "DURATION", "Lifetime, such as 1h or 7d (default 24h)"),
        ]
    ) { (arguments) throws(CLIError) in
        var body: [String: Any] = ["policies": arguments.values("policy")]
        if let ttl = arguments.value("ttl") { body["ttl"] = ttl }
        let result = try APIClient(arguments.globals).call("POST", "/v1/tokens", body: body)
        if arguments.globals.format == .json {
            Output.json(result)
            return
        }
        Output.fields([
            ("Token", Output.text(result["token"])), ("Token id", Output.text(result["id"])),
            ("Policies", (result["policies"] as? [String] ?? []).joined(separator: ", ")),
            ("Expires", Output.text(result["expires_at"])),
        ])
    }

    static let lookup = CommandSpec("lookup", summary: "Show the current token's id, policies and expiry") {
        (arguments) throws(CLIError) in
        let result = try APIClient(arguments.globals).call("GET", "/v1/tokens/self")
        if arguments.globals.format == .json {
            Output.json(result)
            return
        }
        var fields = [
            ("Token id", Output.text(result["id"])),
            ("Policies", (result["policies"] as? [String] ?? []).joined(separator: ", ")),
            ("Parent", Output.text(result["parent_id"])), ("Created", Output.text(result["created_at"])),
            ("Expires", Output.text(result["expires_at"])),
        ]
        if let job = result["job_id"] as? String { fields.append(("Job", job)) }
        Output.fields(fields)
    }

    static let revoke = CommandSpec(
        "revoke", summary: "Revoke a token, the tokens it created and all their leases",
        arguments: [ArgumentSpec("ID", "The token's id (not the token itself)")]
    ) { (arguments) throws(CLIError) in
        let id = arguments.argument(0) ?? ""
        let result = try APIClient(arguments.globals).call("DELETE", "/v1/tokens/" + APIClient.encode(id))
        if arguments.globals.format == .json {
            Output.json(result)
            return
        }
        Terminal.write(
            "revoked \(Output.text(result["revoked_tokens"])) token(s) and \(Output.text(result["revoked_leases"])) "
                + "lease(s)\n")
    }
}
