import Foundation

/// `vaultctl runner ...`: runner registration tokens (the runner itself is `runner run`).
enum RunnerCommands {
    static let tokenCreate = CommandSpec(
        "create", summary: "Create a one-time runner registration token (admin)"
    ) { (arguments) throws(CLIError) in
        let result = try APIClient(arguments.globals).call("POST", "/v1/runners/tokens", body: [:])
        if arguments.globals.format == .json {
            Output.json(result)
        } else {
            Terminal.write(Output.text(result["token"]) + "\n")
        }
    }

    static let token = CommandSpec(
        group: "token", summary: "Runner registration tokens", subcommands: [tokenCreate])

    static let spec = CommandSpec(
        group: "runner", summary: "Register and run CI runners", subcommands: [token])
}
