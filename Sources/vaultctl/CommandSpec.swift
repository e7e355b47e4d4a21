/// One option a command takes.
struct OptionSpec: Sendable {
    /// The long name without dashes, such as `data-dir`.
    let name: String
    /// An optional one-letter form, such as `o`.
    let short: Character?
    /// The value's placeholder in help (`FILE`), or nil for a flag.
    let valueName: String?
    let help: String
    /// Whether the option may be given more than once.
    let repeatable: Bool

    init(_ name: String, short: Character? = nil, value: String? = nil, repeatable: Bool = false, _ help: String) {
        self.name = name
        self.short = short
        self.valueName = value
        self.help = help
        self.repeatable = repeatable
    }

    var isFlag: Bool { valueName == nil }
}

/// One positional argument a command takes.
struct ArgumentSpec: Sendable {
    let name: String
    let help: String
    let isRequired: Bool
    /// Whether it swallows the remaining arguments (`FILE...`).
    let isVariadic: Bool

    init(_ name: String, required: Bool = true, variadic: Bool = false, _ help: String) {
        self.name = name
        self.help = help
        self.isRequired = required
        self.isVariadic = variadic
    }
}

/// A command or a group of subcommands, with its help text.
struct CommandSpec: Sendable {
    typealias Run = @Sendable (ParsedArguments) throws(CLIError) -> Void

    let name: String
    let summary: String
    /// Longer help shown below the usage line.
    let discussion: String
    let options: [OptionSpec]
    let arguments: [ArgumentSpec]
    let subcommands: [CommandSpec]
    let run: Run?
    /// The error to give for positional arguments beyond those declared, when a generic one would mislead.
    var extraArgumentsMessage: String?

    init(
        _ name: String, summary: String, discussion: String = "", options: [OptionSpec] = [],
        arguments: [ArgumentSpec] = [], run: @escaping Run
    ) {
        self.name = name
        self.summary = summary
        self.discussion = discussion
        self.options = options
        self.arguments = arguments
        self.subcommands = []
        self.run = run
    }

    init(group name: String, summary: String, discussion: String = "", subcommands: [CommandSpec]) {
        self.name = name
        self.summary = summary
        self.discussion = discussion
        self.options = []
        self.arguments = []
        self.subcommands = subcommands
        self.run = nil
    }
}
