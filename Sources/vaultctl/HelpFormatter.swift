/// Renders usage lines and help pages from command specs.
enum HelpFormatter {
    /// `usage: vaultctl secret put PATH [options]`.
    static func usage(for path: [CommandSpec]) -> String {
        let names = path.map(\.name).joined(separator: " ")
        guard let command = path.last else { return "" }
        if !command.subcommands.isEmpty {
            return "usage: \(names) <command> [options]"
        }
        var words = [names]
        for argument in command.arguments {
            let name = argument.isVariadic ? "\(argument.name)..." : argument.name
            words.append(argument.isRequired ? name : "[\(name)]")
        }
        words.append("[options]")
        return "usage: " + words.joined(separator: " ")
    }

    /// The full help page of the last command in `path`.
    static func help(for path: [CommandSpec]) -> String {
        guard let command = path.last else { return "" }
        var text = "\(command.summary)\n\n\(usage(for: path))\n"
        if !command.discussion.isEmpty {
            text += "\n\(command.discussion)\n"
        }
        if !command.subcommands.isEmpty {
            text += "\nCommands:\n"
            text += table(command.subcommands.map { ($0.name, $0.summary) })
            text += "\nRun '\(path.map(\.name).joined(separator: " ")) <command> --help' for a command's options.\n"
            return text
        }
        if !command.arguments.isEmpty {
            text += "\nArguments:\n" + table(command.arguments.map { ($0.name, $0.help) })
        }
        if !command.options.isEmpty {
            text += "\nOptions:\n" + table(command.options.map(optionRow))
        }
        text += "\nGlobal options:\n" + table(GlobalOptions.specs.map(optionRow))
        return text
    }

    private static func optionRow(_ option: OptionSpec) -> (String, String) {
        var name = option.short.map { "-\($0), " } ?? ""
        name += "--\(option.name)"
        if let value = option.valueName { name += " \(value)" }
        return (name, option.help)
    }

    private static func table(_ rows: [(String, String)]) -> String {
        let width = min(max(rows.map(\.0.count).max() ?? 0, 8), 32)
        return rows.map { name, help in
            let padding =
                name.count < width
                ? String(repeating: " ", count: width - name.count) : "\n  " + String(repeating: " ", count: width)
            return "  \(name)\(padding)  \(help)\n"
        }.joined()
    }
}
