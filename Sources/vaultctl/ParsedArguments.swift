/// The options and arguments given to one command, after parsing and validation.
struct ParsedArguments: Sendable {
    let globals: GlobalOptions
    let options: [String: [String]]
    let flags: Set<String>
    let arguments: [String]
    /// The command's usage text, for errors found while running it.
    let usage: String

    /// The last value of `--name`, if given.
    func value(_ name: String) -> String? {
        options[name]?.last
    }

    /// Every value of a repeatable `--name`.
    func values(_ name: String) -> [String] {
        options[name] ?? []
    }

    /// Whether the flag `--name` was given.
    func flag(_ name: String) -> Bool {
        flags.contains(name)
    }

    /// The positional argument at `index`; required ones were checked by the parser.
    func argument(_ index: Int) -> String? {
        index < arguments.count ? arguments[index] : nil
    }

    /// The value of `--name` as a whole number within `range`.
    func integer(_ name: String, in range: ClosedRange<Int64>) throws(CLIError) -> Int64? {
        guard let text = value(name) else { return nil }
        guard let number = Int64(text), range.contains(number) else {
            throw CLIError(
                .usage, "--\(name) takes a whole number from \(range.lowerBound) to \(range.upperBound)", usage: usage)
        }
        return number
    }
}

/// Options every command accepts (DESIGN §3).
struct GlobalOptions: Sendable {
    /// Output format: `table` for people, `json` for programs.
    enum Format: String, Sendable {
        case table, json
    }

    var address: String?
    var token: String?
    var format: Format = .table
    var caCertificate: String?

    static let specs: [OptionSpec] = [
        OptionSpec("addr", value: "URL", "Server address (env VAULTCTL_ADDR; default http://127.0.0.1:8270)"),
        OptionSpec("token", value: "TOKEN", "Token (env VAULTCTL_TOKEN, or the file ~/.vaultctl/token)"),
        OptionSpec("format", value: "table|json", "Output format (default table)"),
        OptionSpec("ca-cert", value: "FILE", "CA certificate to trust for an https address (env VAULTCTL_CACERT)"),
        OptionSpec("help", short: "h", "Show help for the command"),
    ]
}
