import Foundation

/// `vaultctl pipeline ...`: pipelines, their jobs and logs.
enum PipelineCommands {
    static let spec = CommandSpec(
        group: "pipeline", summary: "Follow, cancel and start CI pipelines",
        subcommands: [list, show, logs, cancel, run])

    static let list = CommandSpec(
        "list", summary: "List recent pipelines, newest first",
        options: [
            OptionSpec("repo", value: "NAME", "Only this repository"),
            OptionSpec("limit", value: "N", "At most N pipelines (default 20)"),
        ]
    ) { (arguments) throws(CLIError) in
        var query: [(String, String)] = [("limit", "\(try arguments.integer("limit", in: 1...500) ?? 20)")]
        if let repo = arguments.value("repo") { query.append(("repo", repo)) }
        let result = try APIClient(arguments.globals).call("GET", "/v1/pipelines", query: query)
        if arguments.globals.format == .json {
            Output.json(result)
            return
        }
        let rows = (result["pipelines"] as? [[String: Any]] ?? []).map { pipeline -> [String] in
            [
                Output.text(pipeline["id"]), Output.text(pipeline["repo"]), Output.text(pipeline["ref"]),
                String(Output.text(pipeline["commit"]).prefix(12)), Output.text(pipeline["state"]),
                Output.text(pipeline["created_at"]),
            ]
        }
        Output.table(["ID", "REPO", "REF", "COMMIT", "STATE", "CREATED"], rows)
    }

    static let show = CommandSpec(
        "show", summary: "Show a pipeline and its jobs, with each job's cleanup receipt",
        arguments: [ArgumentSpec("ID", "Pipeline id")]
    ) { (arguments) throws(CLIError) in
        let id = arguments.argument(0) ?? ""
        let result = try APIClient(arguments.globals).call("GET", "/v1/pipelines/" + APIClient.encode(id))
        if arguments.globals.format == .json {
            Output.json(result)
            return
        }
        Output.fields([
            ("Pipeline", Output.text(result["id"])), ("Repository", Output.text(result["repo"])),
            ("Ref", Output.text(result["ref"])), ("Commit", Output.text(result["commit"])),
            ("State", Output.text(result["state"])), ("Reason", Output.text(result["reason"])),
        ])
        Terminal.write("\n")
        let jobs = result["jobs"] as? [[String: Any]] ?? []
        Output.table(
            ["JOB", "NAME", "STATE", "ATTEMPT", "EXIT", "CLEANUP"],
            jobs.map { job in
                [
                    Output.text(job["id"]), Output.text(job["name"]), Output.text(job["state"]),
                    Output.text(job["attempt"]), Output.text(job["exit_code"]), receipt(job["cleanup"]),
                ]
            })
        let statuses = result["statuses"] as? [[String: Any]] ?? []
        guard !statuses.isEmpty else { return }
        Terminal.write("\nCommit statuses:\n")
        Output.table(
            ["CONTEXT", "STATE", "DELIVERED", "ATTEMPTS"],
            statuses.map { status in
                [
                    Output.text(status["context"]), Output.text(status["state"]),
                    status["delivered_at"] is NSNull ? "retrying: \(Output.text(status["last_error"]))" : "yes",
                    Output.text(status["attempts"]),
                ]
            })
    }

    static let logs = CommandSpec(
        "logs", summary: "Print a job's log; --follow keeps printing until the job ends",
        options: [OptionSpec("follow", short: "f", "Keep printing new output until the job ends")],
        arguments: [ArgumentSpec("JOB", "Job id (from 'pipeline show')")]
    ) { (arguments) throws(CLIError) in
        let client = APIClient(arguments.globals)
        let id = APIClient.encode(arguments.argument(0) ?? "")
        _ = try client.call("GET", "/v1/jobs/" + id)
        var offset = 0
        while true {
            let chunk = try client.fetch("/v1/jobs/\(id)/log", query: [("offset", "\(offset)")])
            if !chunk.body.isEmpty {
                FileHandle.standardOutput.write(Data(chunk.body))
                offset += chunk.body.count
            }
            let state = chunk.header("X-Job-State") ?? ""
            let size = Int(chunk.header("X-Log-Size") ?? "") ?? offset
            let ended = ["success", "failure", "cancelled", "timed_out", "skipped", "error"].contains(state)
            if !arguments.flag("follow") || (ended && offset >= size) {
                if offset < size { continue }
                return
            }
            if chunk.body.isEmpty { usleep(400_000) }
        }
    }

    static let cancel = CommandSpec(
        "cancel", summary: "Cancel a pipeline; running jobs stop at their next heartbeat",
        arguments: [ArgumentSpec("ID", "Pipeline id")]
    ) { (arguments) throws(CLIError) in
        let id = arguments.argument(0) ?? ""
        let result = try APIClient(arguments.globals).call(
            "POST", "/v1/pipelines/\(APIClient.encode(id))/cancel", body: [:])
        if arguments.globals.format == .json {
            Output.json(result)
        } else {
            Terminal.write("pipeline \(id): \(Output.text(result["state"]))\n")
        }
    }

    static let run = CommandSpec(
        "run", summary: "Start a pipeline by hand for a repository at a commit",
        options: [
            OptionSpec("commit", value: "SHA", "Full commit id (required)"),
            OptionSpec("ref", value: "REF", "Ref to report, such as refs/heads/main"),
        ],
        arguments: [ArgumentSpec("REPO", "Repository name")]
    ) { (arguments) throws(CLIError) in
        guard let commit = arguments.value("commit") else {
            throw CLIError(.usage, "--commit is required", usage: arguments.usage)
        }
        var body: [String: Any] = ["repo": arguments.argument(0) ?? "", "commit": commit]
        if let ref = arguments.value("ref") { body["ref"] = ref }
        let result = try APIClient(arguments.globals).call("POST", "/v1/pipelines", body: body)
        if arguments.globals.format == .json {
            Output.json(result)
        } else {
            Terminal.write("started pipeline \(Output.text(result["pipeline"]))\n")
        }
    }

    /// A cleanup receipt in one cell: `ok` when everything was cleaned, else what was not.
    private static func receipt(_ value: Any?) -> String {
        guard let receipt = value as? [String: Any] else { return "-" }
        let left = (receipt["processes_left"] as? NSNumber)?.intValue ?? 0
        let removed = (receipt["workspace_removed"] as? NSNumber)?.boolValue ?? false
        let revoked = (receipt["leases_revoked"] as? NSNumber)?.boolValue ?? false
        if left == 0, removed, revoked { return "ok" }
        return "processes_left=\(left) workspace_removed=\(removed) leases_revoked=\(revoked)"
    }
}
