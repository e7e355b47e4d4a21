import ArtifactStore
import Cryptography
import Foundation
import HTTPClient
import Timekeeping

#if canImport(Glibc)
    import Glibc
#endif

/// `vaultctl artifact ...`: upload, download, list and maintain content-addressed artifacts.
enum ArtifactCommands {
    static let spec = CommandSpec(
        group: "artifact", summary: "Upload, download and maintain build artifacts",
        subcommands: [push, pull, list, delete, gc, verify])

    static let push = CommandSpec(
        "push", summary: "Upload files as artifacts",
        discussion: """
            Streams the files from disk as one multipart form, the same request as
            curl -F file=@FILE -H "Authorization: Bearer $VAULTCTL_TOKEN" $VAULTCTL_ADDR/v1/artifacts
            Each file is stored under its file name, or under --name (NAME/FILE with several files).
            A progress bar shows on a terminal.
            """,
        options: [
            OptionSpec("name", value: "NAME", "Artifact name (default: the file name)"),
            OptionSpec("pipeline", value: "ID", "The pipeline that produced the files (with --job)"),
            OptionSpec("job", value: "ID", "The job that produced the files (with --pipeline)"),
            OptionSpec("expires-in", value: "DURATION", "Expire the artifacts after DURATION, such as 7d"),
        ],
        arguments: [ArgumentSpec("FILE", variadic: true, "Files to upload")]
    ) { (arguments) throws(CLIError) in
        let files = arguments.arguments
        var fields: [(name: String, value: String)] = []
        for (option, field) in [
            ("name", "name"), ("pipeline", "pipeline"), ("job", "job"), ("expires-in", "expires_in"),
        ] {
            if let value = arguments.value(option) { fields.append((field, value)) }
        }
        if let expiry = arguments.value("expires-in"), DurationParsing.seconds(from: expiry) == nil {
            throw CLIError(.usage, "--expires-in takes a duration such as 12h or 7d", usage: arguments.usage)
        }
        guard (arguments.value("pipeline") == nil) == (arguments.value("job") == nil) else {
            throw CLIError(.usage, "--pipeline and --job go together", usage: arguments.usage)
        }
        let client = APIClient(arguments.globals)
        let label = files.count == 1 ? (files[0] as NSString).lastPathComponent : "\(files.count) files"
        let printer = ProgressPrinter(bar: ProgressBar(label: label, direction: .upload))
        let response: HTTPClientResponse
        do throws(HTTPClientError) {
            response = try client.http.uploadMultipart(
                url: client.url("/v1/artifacts"), headers: authorization(client), fields: fields,
                files: files.map { (field: "file", path: $0, filename: ($0 as NSString).lastPathComponent) },
                progress: printer.report)
        } catch {
            printer.finish()
            throw error.code == .io ? CLIError.failed(error.reason) : client.connectionError(error)
        }
        printer.finish()
        let object = try decoded(response)
        if arguments.globals.format == .json {
            Output.json(object)
            return
        }
        let artifacts = object["artifacts"] as? [[String: Any]] ?? []
        Output.table(
            ["ID", "NAME", "SIZE", "DIGEST"],
            artifacts.map {
                [Output.text($0["id"]), Output.text($0["name"]), Output.text($0["size"]), Output.text($0["digest"])]
            })
    }

    static let pull = CommandSpec(
        "pull", summary: "Download an artifact by digest or name and verify it",
        discussion: """
            A NAME fetches the newest artifact of that name. The download goes to a temporary file beside
            the output, is checked against the digest, and only then takes the output's name; a mismatch
            leaves nothing behind. Without -o the file is named after the artifact (or the digest);
            -o - writes to standard output.
            """,
        options: [
            OptionSpec("output", short: "o", value: "FILE", "Where to write the content ('-' for standard output)")
        ],
        arguments: [ArgumentSpec("DIGEST|NAME", "sha256:<hex>, or an artifact name")]
    ) { (arguments) throws(CLIError) in
        let reference = arguments.argument(0) ?? ""
        let client = APIClient(arguments.globals)
        let (digest, name) = try resolve(reference, client: client, usage: arguments.usage)
        let output = arguments.value("output") ?? ((name as NSString?)?.lastPathComponent ?? digest.hex)
        try download(digest, to: output, client: client)
        if output != "-", arguments.globals.format == .json {
            Output.json(["digest": digest.description, "file": output])
        } else if output != "-" {
            Terminal.write("\(output)  \(digest)\n")
        }
    }

    static let list = CommandSpec(
        "list", summary: "List artifacts, newest first",
        options: [
            OptionSpec("name", value: "NAME", "Only artifacts called NAME"),
            OptionSpec("pipeline", value: "ID", "Only artifacts of pipeline ID"),
            OptionSpec("job", value: "ID", "Only artifacts of job ID"),
            OptionSpec("expired", "Include expired artifacts whose records remain"),
            OptionSpec("limit", value: "N", "At most N artifacts (default 100)"),
        ]
    ) { (arguments) throws(CLIError) in
        var query: [(String, String)] = []
        for option in ["name", "pipeline", "job"] {
            if let value = arguments.value(option) { query.append((option, value)) }
        }
        if arguments.flag("expired") { query.append(("expired", "true")) }
        if let limit = try arguments.integer("limit", in: 1...1000) { query.append(("limit", "\(limit)")) }
        let result = try APIClient(arguments.globals).call("GET", "/v1/artifacts", query: query)
        if arguments.globals.format == .json {
            Output.json(result)
            return
        }
        let rows = (result["artifacts"] as? [[String: Any]] ?? []).map { artifact -> [String] in
            let digest = Output.text(artifact["digest"])
            return [
                Output.text(artifact["id"]), Output.text(artifact["name"]), Output.text(artifact["size"]),
                String(digest.prefix(19)), Output.text(artifact["created_at"]), Output.text(artifact["expires_at"]),
            ]
        }
        Output.table(["ID", "NAME", "SIZE", "DIGEST", "CREATED", "EXPIRES"], rows)
    }

    static let delete = CommandSpec(
        "delete", summary: "Delete an artifact's record; its content goes with the next collection",
        arguments: [ArgumentSpec("ID", "The artifact's id, as 'artifact list' shows it")]
    ) { (arguments) throws(CLIError) in
        let id = arguments.argument(0) ?? ""
        let result = try APIClient(arguments.globals).call("DELETE", "/v1/artifacts/" + APIClient.encode(id))
        if arguments.globals.format == .json {
            Output.json(result)
        } else {
            Terminal.write("deleted artifact \(id)\n")
        }
    }

    static let gc = CommandSpec(
        "gc", summary: "Remove blobs no artifact references once their grace period has passed",
        discussion: "Runs the server's garbage collection now (it also runs on a schedule) and reports what it freed.",
        options: [OptionSpec("dry-run", "Only report what would be removed")]
    ) { (arguments) throws(CLIError) in
        let dryRun = arguments.flag("dry-run")
        let result = try APIClient(arguments.globals).call(
            "POST", "/v1/artifacts/gc", query: dryRun ? [("dry_run", "true")] : [], timeoutSeconds: 3_600)
        if arguments.globals.format == .json {
            Output.json(result)
            return
        }
        let blobs = (result["removed_blobs"] as? [Any])?.count ?? 0
        let strays = (result["removed_stray_files"] as? [Any])?.count ?? 0
        let bytes = "\((result["freed_bytes"] as? NSNumber)?.int64Value ?? 0) bytes"
        let verb = dryRun ? "would free" : "freed"
        Terminal.write(
            "\(verb) \(bytes): \(blobs) unreferenced blobs, \(strays) stray files, "
                + "\(Output.text(result["removed_expired_artifacts"])) expired artifact records\n")
    }

    static let verify = CommandSpec(
        "verify", summary: "Re-hash every stored blob and compare the files with the index",
        discussion: """
            Reports rows without files, files without rows and blobs whose content no longer matches
            their digest. Exits 1 when anything is wrong.
            """
    ) { (arguments) throws(CLIError) in
        let result = try APIClient(arguments.globals).call("POST", "/v1/artifacts/verify", timeoutSeconds: 24 * 3_600)
        if arguments.globals.format == .json {
            Output.json(result)
        } else {
            let count: (String) -> String = { "\((result[$0] as? [Any])?.count ?? 0)" }
            Output.fields([
                ("Checked blobs", Output.text(result["checked_blobs"])),
                ("Checked bytes", Output.text(result["checked_bytes"])),
                ("Missing files", count("missing_files")), ("Unrecorded files", count("unrecorded_files")),
                ("Corrupt blobs", count("corrupt_blobs")), ("Stray files", count("stray_files")),
            ])
            for key in ["missing_files", "unrecorded_files", "corrupt_blobs", "stray_files"] {
                for item in result[key] as? [String] ?? [] {
                    Terminal.write("\(key.replacingOccurrences(of: "_", with: " ")): \(item)\n")
                }
            }
        }
        guard (result["healthy"] as? Bool) == true else {
            throw CLIError.failed("the artifact store has problems (see above)")
        }
    }
}

extension ArtifactCommands {
    private static func authorization(_ client: APIClient) -> [(String, String)] {
        var headers = [("Accept", "application/json")]
        if let token = client.token { headers.append(("Authorization", "Bearer \(token)")) }
        return headers
    }

    /// The JSON object of a 2xx answer, or the error the answer describes.
    private static func decoded(_ response: HTTPClientResponse) throws(CLIError) -> [String: Any] {
        let object = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any]
        guard response.isSuccess else {
            throw APIClient.statusError(response.status, object)
        }
        return object ?? [:]
    }

    /// A digest as given, or the digest of the newest artifact with that name.
    private static func resolve(_ reference: String, client: APIClient, usage: String) throws(CLIError)
        -> (BlobDigest, String?)
    {
        if reference.hasPrefix("sha256:") {
            do {
                return (try BlobDigest(parsing: reference), nil)
            } catch {
                throw CLIError(.usage, error.reason, usage: usage)
            }
        }
        let artifact = try client.call("GET", "/v1/artifacts/" + APIClient.encodePath(reference))
        guard let text = artifact["digest"] as? String, let digest = try? BlobDigest(parsing: text) else {
            throw CLIError.failed("the server's answer for \(reference) holds no digest")
        }
        return (digest, artifact["name"] as? String ?? reference)
    }

    /// Downloads the blob into a temporary file beside `output`, checks its digest, then moves it
    /// into place (or copies it to standard output for `-`).
    private static func download(_ digest: BlobDigest, to output: String, client: APIClient) throws(CLIError) {
        let toStandardOutput = output == "-"
        let directory = toStandardOutput ? NSTemporaryDirectory() : (output as NSString).deletingLastPathComponent
        let temporary = (directory.isEmpty ? "." : directory) + "/.vaultctl-pull-\(UUID().uuidString)"
        defer { unlink(temporary) }
        let label = toStandardOutput ? String(digest.description.prefix(19)) : (output as NSString).lastPathComponent
        let printer = ProgressPrinter(bar: ProgressBar(label: label, direction: .download))
        let request = HTTPClientRequest(
            method: "GET", url: client.url("/v1/blobs/" + digest.description), headers: authorization(client))
        let response: HTTPClientResponse
        do throws(HTTPClientError) {
            response = try client.http.download(request, to: temporary, progress: printer.report)
        } catch {
            printer.finish()
            throw error.code == .io ? CLIError.failed(error.reason) : client.connectionError(error)
        }
        printer.finish()
        _ = try decoded(response)
        if digest == .empty, !FileManager.default.fileExists(atPath: temporary) {
            // An empty body writes no file.
            _ = FileManager.default.createFile(atPath: temporary, contents: nil, attributes: [.posixPermissions: 0o600])
        }
        let actual = try hash(temporary)
        guard actual == digest else {
            throw CLIError.failed("the downloaded content hashes to \(actual), not \(digest); nothing was kept")
        }
        if toStandardOutput {
            try copyToStandardOutput(temporary)
        } else if rename(temporary, output) != 0 {
            throw CLIError.failed("cannot write \(output): \(String(cString: strerror(errno)))")
        }
    }

    /// The SHA-256 digest of a file, read in 1 MiB pieces.
    private static func hash(_ path: String) throws(CLIError) -> BlobDigest {
        guard let handle = FileHandle(forReadingAtPath: path), let hasher = try? SHA256Hasher() else {
            throw CLIError.failed("cannot read the downloaded file \(path)")
        }
        defer { try? handle.close() }
        while let data = try? handle.read(upToCount: 1 << 20), !data.isEmpty {
            data.withUnsafeBytes { hasher.update($0) }
        }
        do {
            return try BlobDigest(hex: Hex.encode(hasher.finalize()))
        } catch {
            throw CLIError.failed("cannot hash the downloaded file")
        }
    }

    private static func copyToStandardOutput(_ path: String) throws(CLIError) {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw CLIError.failed("cannot read the downloaded file \(path)")
        }
        defer { try? handle.close() }
        while let data = try? handle.read(upToCount: 1 << 20), !data.isEmpty {
            FileHandle.standardOutput.write(data)
        }
    }
}
