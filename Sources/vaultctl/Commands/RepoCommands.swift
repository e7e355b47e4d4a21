import Foundation

/// `vaultctl repo ...`: repositories the CI controller builds.
enum RepoCommands {
    static let spec = CommandSpec(
        group: "repo", summary: "Register the Git repositories the CI controller builds", subcommands: [add, list])

    static let add = CommandSpec(
        "add", summary: "Register a repository, or update one",
        discussion: """
            NAME is matched against GitHub's repository.full_name, GitLab's project.path_with_namespace and
            the generic webhook's "repo". The webhook secret and the status token are read from files, never
            from the command line, and are stored encrypted like any secret.

            Example: vaultctl repo add acme/payment-service --clone-url https://git.example/acme/payment-service.git \\
                         --webhook-secret-file hook.secret --status github --status-url https://api.github.com \\
                         --status-token-file gh.token
            """,
        options: [
            OptionSpec("clone-url", value: "URL", "Where the controller and runners clone from (required)"),
            OptionSpec("webhook-secret-file", value: "FILE", "File holding the webhook secret"),
            OptionSpec(
                "status", value: "KIND", "Commit status provider: github, gitlab, generic or none (default none)"),
            OptionSpec("status-url", value: "URL", "Provider API base, or the generic endpoint"),
            OptionSpec("status-token-file", value: "FILE", "File holding the provider token"),
        ],
        arguments: [ArgumentSpec("NAME", "Repository name, such as acme/payment-service")]
    ) { (arguments) throws(CLIError) in
        guard let cloneURL = arguments.value("clone-url") else {
            throw CLIError(.usage, "--clone-url is required", usage: arguments.usage)
        }
        var body: [String: Any] = ["clone_url": cloneURL]
        if let file = arguments.value("webhook-secret-file") {
            body["webhook_secret"] = try readSecretFile(file)
        }
        var status: [String: Any] = ["kind": arguments.value("status") ?? "none"]
        if let url = arguments.value("status-url") { status["url"] = url }
        if let file = arguments.value("status-token-file") { status["token"] = try readSecretFile(file) }
        body["status"] = status
        let name = arguments.argument(0) ?? ""
        let result = try APIClient(arguments.globals).call("PUT", "/v1/repos/" + APIClient.encodePath(name), body: body)
        if arguments.globals.format == .json {
            Output.json(result)
        } else {
            Terminal.write("registered \(name)\n")
        }
    }

    static let list = CommandSpec("list", summary: "List registered repositories") { (arguments) throws(CLIError) in
        let result = try APIClient(arguments.globals).call("GET", "/v1/repos")
        if arguments.globals.format == .json {
            Output.json(result)
            return
        }
        let rows = (result["repos"] as? [[String: Any]] ?? []).map { repo -> [String] in
            let status = repo["status"] as? [String: Any]
            return [Output.text(repo["name"]), Output.text(repo["clone_url"]), Output.text(status?["kind"])]
        }
        Output.table(["NAME", "CLONE URL", "STATUS"], rows)
    }

    /// A secret from a file, without its trailing newline.
    static func readSecretFile(_ path: String) throws(CLIError) -> String {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw CLIError.failed("cannot read \(path)")
        }
        return text.trimmingCharacters(in: .newlines)
    }
}
