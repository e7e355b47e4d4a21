import Foundation

/// `vaultctl operator ...`: initialising, unsealing, sealing and key rotation.
enum OperatorCommands {
    static let spec = CommandSpec(
        group: "operator", summary: "Initialise, unseal, seal and rotate the vault's keys",
        subcommands: [initialize, unseal, seal, rotate, status])

    static let initialize = CommandSpec(
        "init", summary: "Create the root key, the keyring and the root token",
        discussion: """
            Prints the unseal key and the root token once. The server keeps neither: store the unseal key
            somewhere safe, since without it the vault's secrets cannot be read after a restart.
            """
    ) { (arguments) throws(CLIError) in
        let result = try APIClient(arguments.globals).call("POST", "/v1/operator/init", body: [:])
        if arguments.globals.format == .json {
            Output.json(result)
            return
        }
        Output.fields([
            ("Unseal key", Output.text(result["unseal_key"])), ("Root token", Output.text(result["root_token"])),
        ])
        Terminal.write(
            """

            The vault is initialised and unsealed. Keep the unseal key safe and offline: the server does not
            store it, and it is needed to unseal after every restart ('vaultctl operator unseal').

            """)
    }

    static let unseal = CommandSpec(
        "unseal", summary: "Unseal the vault with the unseal key",
        discussion: "The key is read from --key-file, from piped standard input, or from a prompt that does not echo.",
        options: [OptionSpec("key-file", value: "FILE", "Read the unseal key from FILE")]
    ) { (arguments) throws(CLIError) in
        let key: String
        if let file = arguments.value("key-file") {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw CLIError.failed("cannot read \(file)")
            }
            key = text
        } else if Terminal.isInputInteractive {
            key = try Terminal.readHidden(prompt: "Unseal key (input hidden): ")
        } else {
            key = String(decoding: Terminal.readAllInput(), as: UTF8.self)
        }
        let body = ["key": key.trimmingCharacters(in: .whitespacesAndNewlines)]
        let result = try APIClient(arguments.globals).call("POST", "/v1/operator/unseal", body: body)
        printStatus(result, arguments)
    }

    static let seal = CommandSpec("seal", summary: "Seal the vault: forget the keys until the next unseal") {
        (arguments) throws(CLIError) in
        let result = try APIClient(arguments.globals).call("POST", "/v1/operator/seal", body: [:])
        printStatus(result, arguments)
    }

    static let rotate = CommandSpec(
        "rotate", summary: "Start a new key term: new writes use it, older versions still read"
    ) { (arguments) throws(CLIError) in
        let result = try APIClient(arguments.globals).call("POST", "/v1/operator/rotate", body: [:])
        if arguments.globals.format == .json {
            Output.json(result)
        } else {
            Terminal.write("rotated to key term \(Output.text(result["term"]))\n")
        }
    }

    static let status = CommandSpec("status", summary: "Show whether the vault is initialised and sealed") {
        (arguments) throws(CLIError) in
        let result = try APIClient(arguments.globals).call("GET", "/v1/health")
        printStatus(result, arguments)
    }

    private static func printStatus(_ result: [String: Any], _ arguments: ParsedArguments) {
        if arguments.globals.format == .json {
            Output.json(result)
            return
        }
        Output.fields([
            ("Initialized", Output.text(result["initialized"])),
            ("Sealed", Output.text(result["sealed"])),
            ("Key term", Output.text(result["key_term"])),
            ("Key terms", Output.text(result["key_terms"])),
        ])
    }
}
