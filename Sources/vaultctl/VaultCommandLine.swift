import Foundation

/// The `vaultctl` command tree and its entry point.
enum VaultCommandLine {
    static let root = CommandSpec(
        group: "vaultctl", summary: "vaultctl: a secrets and artifact vault with a bundled CI controller and runner",
        subcommands: [
            ServerCommand.spec, OperatorCommands.spec, SecretCommands.spec, TokenCommands.spec, PolicyCommands.spec,
            LeaseCommands.spec, AuditCommands.spec, ArtifactCommands.spec, RepoCommands.spec, PipelineCommands.spec,
            RunnerCommands.spec,
        ])

    /// Parses `arguments` (without the program name), runs the command and returns the exit code.
    static func run(_ arguments: [String]) -> Int32 {
        let parser = ArgumentParser(root: root)
        do {
            switch try parser.parse(arguments) {
            case .help(let text):
                Terminal.write(text)
                return 0
            case .run(let command, let parsed):
                try command(parsed)
                return 0
            }
        } catch {
            Terminal.writeError("error: \(error.message)")
            if let usage = error.usage {
                Terminal.writeError(usage)
                Terminal.writeError("Run with --help for more.")
            }
            return error.exitCode.rawValue
        }
    }
}
