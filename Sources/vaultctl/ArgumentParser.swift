/// Parses `vaultctl` arguments against the command tree and runs the chosen command.
///
/// Options may appear anywhere after the command's name; `--` ends options.
struct ArgumentParser {
    let root: CommandSpec

    /// Finds the command, parses its arguments and returns it with them; or the help to print.
    func parse(_ arguments: [String]) throws(CLIError) -> Parsed {
        var path: [CommandSpec] = [root]
        var remaining = arguments[...]
        // Global options may also come before the command's name: `vaultctl --addr URL secret get X`.
        var leading: [String] = []
        while let next = remaining.first, !path[path.count - 1].subcommands.isEmpty {
            if next == "-h" || next == "--help" || next == "help" {
                return .help(HelpFormatter.help(for: path))
            }
            guard let sub = path[path.count - 1].subcommands.first(where: { $0.name == next }) else {
                let name = ArgumentParser.split(next).name
                if let global = GlobalOptions.specs.first(where: { "--" + $0.name == name }) {
                    let count = global.isFlag || name != next ? 1 : 2
                    leading += remaining.prefix(count)
                    remaining = remaining.dropFirst(count)
                    continue
                }
                let names = path[path.count - 1].subcommands.map(\.name).joined(separator: ", ")
                throw CLIError(
                    .usage, "unknown command '\(next)'; expected one of: \(names)",
                    usage: HelpFormatter.usage(for: path))
            }
            path.append(sub)
            remaining = remaining.dropFirst()
        }
        let command = path[path.count - 1]
        guard let run = command.run else {
            return .help(HelpFormatter.help(for: path))
        }
        return try parseLeaf(command, path: path, arguments: leading + remaining, run: run)
    }

    /// A command ready to run, or help text to print.
    enum Parsed {
        case run(CommandSpec.Run, ParsedArguments)
        case help(String)
    }

    private func parseLeaf(
        _ command: CommandSpec, path: [CommandSpec], arguments: [String], run: @escaping CommandSpec.Run
    )
        throws(CLIError) -> Parsed
    {
        let usage = HelpFormatter.usage(for: path)
        let specs = command.options + GlobalOptions.specs
        var options: [String: [String]] = [:]
        var flags: Set<String> = []
        var positionals: [String] = []
        var index = 0
        var optionsEnded = false
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if optionsEnded || !argument.hasPrefix("-") || argument == "-" {
                positionals.append(argument)
                continue
            }
            if argument == "--" {
                optionsEnded = true
                continue
            }
            let (name, inlineValue) = ArgumentParser.split(argument)
            guard
                let spec = specs.first(where: { name == "--" + $0.name || ($0.short.map { name == "-\($0)" } ?? false) }
                )
            else {
                throw CLIError(.usage, "unknown option '\(name)'", usage: usage)
            }
            if spec.name == "help" {
                return .help(HelpFormatter.help(for: path))
            }
            if spec.isFlag {
                guard inlineValue == nil else {
                    throw CLIError(.usage, "--\(spec.name) takes no value", usage: usage)
                }
                flags.insert(spec.name)
                continue
            }
            let value: String
            if let inlineValue {
                value = inlineValue
            } else {
                guard index < arguments.count else {
                    throw CLIError(.usage, "--\(spec.name) needs a value (\(spec.valueName ?? "VALUE"))", usage: usage)
                }
                value = arguments[index]
                index += 1
            }
            if !spec.repeatable, options[spec.name] != nil {
                throw CLIError(.usage, "--\(spec.name) is given more than once", usage: usage)
            }
            options[spec.name, default: []].append(value)
        }
        try checkPositionals(positionals, of: command, usage: usage)
        let globals = try globalOptions(options, usage: usage)
        let parsed = ParsedArguments(
            globals: globals, options: options, flags: flags, arguments: positionals, usage: usage)
        return .run(run, parsed)
    }

    private func checkPositionals(_ positionals: [String], of command: CommandSpec, usage: String) throws(CLIError) {
        let required = command.arguments.filter(\.isRequired).count
        let variadic = command.arguments.contains(where: \.isVariadic)
        if positionals.count < required {
            let missing = command.arguments[positionals.count].name
            throw CLIError(.usage, "missing argument \(missing)", usage: usage)
        }
        if !variadic, positionals.count > command.arguments.count, let message = command.extraArgumentsMessage {
            throw CLIError(.usage, message, usage: usage)
        }
        if !variadic, positionals.count > command.arguments.count {
            throw CLIError(.usage, "unexpected argument '\(positionals[command.arguments.count])'", usage: usage)
        }
    }

    private func globalOptions(_ options: [String: [String]], usage: String) throws(CLIError) -> GlobalOptions {
        var globals = GlobalOptions()
        globals.address = options["addr"]?.last
        globals.token = options["token"]?.last
        globals.caCertificate = options["ca-cert"]?.last
        if let format = options["format"]?.last {
            guard let parsed = GlobalOptions.Format(rawValue: format) else {
                throw CLIError(.usage, "--format is 'table' or 'json'", usage: usage)
            }
            globals.format = parsed
        }
        return globals
    }

    private static func split(_ argument: String) -> (name: String, value: String?) {
        guard argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") else {
            return (argument, nil)
        }
        return (String(argument[..<equals]), String(argument[argument.index(after: equals)...]))
    }
}
