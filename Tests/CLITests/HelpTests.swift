import TestSupport
import Testing

@Suite struct HelpTests {
    static let commands: [[String]] = [
        [], ["server"], ["operator"], ["operator", "init"], ["operator", "unseal"], ["operator", "seal"],
        ["operator", "rotate"], ["operator", "status"], ["secret"], ["secret", "put"], ["secret", "get"],
        ["secret", "list"], ["secret", "versions"], ["secret", "delete"], ["secret", "undelete"],
        ["secret", "destroy"],
        ["token"], ["token", "create"], ["token", "lookup"], ["token", "revoke"], ["policy"], ["policy", "put"],
        ["policy", "get"], ["policy", "list"], ["policy", "delete"], ["lease"], ["lease", "list"], ["lease", "renew"],
        ["lease", "revoke"], ["audit"], ["audit", "verify"], ["audit", "hash"],
        ["artifact"], ["artifact", "push"], ["artifact", "pull"], ["artifact", "list"], ["artifact", "delete"],
        ["artifact", "gc"], ["artifact", "verify"], ["runner"], ["runner", "register"], ["runner", "run"],
        ["runner", "token", "create"],
    ]

    @Test(arguments: commands)
    func everyCommandHasHelp(_ command: [String]) throws {
        let result = try CommandRunner.vaultctl(command + ["--help"])
        #expect(result.exitCode == 0)
        #expect(result.standardOutput.contains("usage: vaultctl"))
    }

    @Test func unknownCommandsAndOptionsAreUsageErrors() throws {
        let command = try CommandRunner.vaultctl(["secrets", "get", "x"])
        #expect(command.exitCode == 2)
        #expect(command.standardError.contains("unknown command 'secrets'"))
        let option = try CommandRunner.vaultctl(["secret", "get", "x", "--versoin", "2"])
        #expect(option.exitCode == 2)
        #expect(option.standardError.contains("unknown option '--versoin'"))
        let format = try CommandRunner.vaultctl(["secret", "list", "--format", "yaml"])
        #expect(format.exitCode == 2)
    }
}
