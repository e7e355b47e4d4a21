import Foundation
import Vault

/// `vaultctl audit ...`: checking the audit log's hash chain and finding a value's digest.
enum AuditCommands {
    static let spec = CommandSpec(
        group: "audit", summary: "Verify the audit log and compute the digests it records", subcommands: [verify, hash])

    static let verify = CommandSpec(
        "verify", summary: "Check the audit log's hash chain; names the first bad line",
        discussion: """
            Works on the file alone, without the server or any key: every line must be JSON whose 'seq'
            counts on from the line before and whose 'prev' is the SHA-256 of the line before. An edited,
            deleted, inserted or moved line is reported by number and the exit code is 1. An edit of the
            very last line cannot be seen this way: no later line records its hash.
            """,
        options: [OptionSpec("data-dir", value: "DIR", "Look for DIR/audit.log (default ./vault-data)")],
        arguments: [ArgumentSpec("FILE", required: false, "The audit log (default DATA/audit.log)")]
    ) { (arguments) throws(CLIError) in
        let file = arguments.argument(0) ?? (arguments.value("data-dir") ?? "vault-data") + "/audit.log"
        let result: AuditVerification
        do {
            result = try AuditVerifier.verify(fileAt: file)
        } catch {
            throw CLIError(.notFound, "cannot read the audit log \(file)")
        }
        switch result {
        case .intact(let lines):
            if arguments.globals.format == .json {
                Output.json(["file": file, "intact": true, "lines": lines])
            } else {
                Terminal.write("\(file): \(lines) line(s), hash chain intact\n")
            }
        case .broken(let line, let reason):
            if arguments.globals.format == .json {
                Output.json(["file": file, "intact": false, "line": line, "reason": reason])
            }
            throw CLIError.failed("\(file): line \(line): \(reason)")
        }
    }

    static let hash = CommandSpec(
        "hash", summary: "Print the hmac-sha256 digest a value has in the audit log",
        discussion: """
            Use it to find a secret value, token or lease id in the log, where they appear only as digests.
            By default the server computes the digest (POST /v1/audit/hash, needs admin on sys/audit), as
            only it holds the installation's audit key; with --key-file the digest is computed here from
            the key file (DATA/audit.key). Without VALUE the value is read from standard input or a prompt
            that does not echo; prefer that for secrets, since arguments show in the process list.
            """,
        options: [OptionSpec("key-file", value: "FILE", "Compute locally with the audit key in FILE")],
        arguments: [ArgumentSpec("VALUE", required: false, "The value; omit it to read standard input")]
    ) { (arguments) throws(CLIError) in
        let value: String
        if let given = arguments.argument(0) {
            value = given
        } else {
            value = try readValue()
        }
        let digest: String
        if let keyFile = arguments.value("key-file") {
            do throws(VaultError) {
                digest = AuditLog.digest(value, key: try AuditLog.readKey(at: keyFile))
            } catch {
                throw CLIError.failed(error.reason)
            }
        } else {
            let result = try APIClient(arguments.globals).call("POST", "/v1/audit/hash", body: ["value": value])
            digest = Output.text(result["digest"])
        }
        if arguments.globals.format == .json {
            Output.json(["digest": digest])
        } else {
            Terminal.write(digest + "\n")
        }
    }

    private static func readValue() throws(CLIError) -> String {
        if Terminal.isInputInteractive {
            return try Terminal.readHidden(prompt: "Value (input hidden): ")
        }
        var input = Terminal.readAllInput()
        if input.last == UInt8(ascii: "\n") { input.removeLast() }
        return String(decoding: input, as: UTF8.self)
    }
}
