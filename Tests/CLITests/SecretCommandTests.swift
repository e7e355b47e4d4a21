import Foundation
import TestSupport
import Testing

@Suite struct SecretCommandTests {
    @Test func putGetVersionsAndLifecycleWorkThroughTheBinary() throws {
        let directory = TemporaryDirectory()
        let server = try DevServer(directory: directory.path)
        let env = server.environment
        let put = try CommandRunner.vaultctl(["secret", "put", "app/db"], input: "s3cr3t-value\n", environment: env)
        #expect(put.exitCode == 0, "\(put.standardError)")
        #expect(put.standardOutput.contains("version 1"))
        let get = try CommandRunner.vaultctl(["secret", "get", "app/db"], environment: env)
        #expect(get.standardOutput == "s3cr3t-value", "a piped get prints the bare value")
        let file = directory.file("value.txt")
        try "line one\nline two\n".write(toFile: file, atomically: true, encoding: .utf8)
        #expect(
            try CommandRunner.vaultctl(["secret", "put", "app/db", "--file", file, "--cas", "1"], environment: env)
                .exitCode == 0)
        #expect(
            try CommandRunner.vaultctl(["secret", "get", "app/db"], environment: env).standardOutput
                == "line one\nline two\n")
        let conflict = try CommandRunner.vaultctl(
            ["secret", "put", "app/db", "--cas", "1"], input: "x", environment: env)
        #expect(conflict.exitCode == 1)
        #expect(conflict.standardError.contains("cas_mismatch"))
        let json = try CommandRunner.vaultctl(
            ["secret", "get", "app/db", "--version", "1", "--format", "json"], environment: env)
        let record = try #require(
            try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any])
        #expect(record["value"] as? String == "s3cr3t-value")
        #expect(record["version"] as? Int == 1)
        let versions = try CommandRunner.vaultctl(["secret", "versions", "app/db"], environment: env)
        #expect(versions.standardOutput.split(separator: "\n").count == 3)
        #expect(
            try CommandRunner.vaultctl(["secret", "list", "app/"], environment: env).standardOutput.contains("app/db"))
        #expect(try CommandRunner.vaultctl(["secret", "delete", "app/db"], environment: env).exitCode == 0)
        #expect(try CommandRunner.vaultctl(["secret", "get", "app/db"], environment: env).exitCode == 3)
        #expect(
            try CommandRunner.vaultctl(["secret", "undelete", "app/db", "--version", "2"], environment: env).exitCode
                == 0)
        #expect(
            try CommandRunner.vaultctl(["secret", "destroy", "app/db", "--version", "1"], environment: env).exitCode
                == 0)
        #expect(
            try CommandRunner.vaultctl(["secret", "get", "app/db", "--version", "1"], environment: env).exitCode == 3)
        #expect(
            try CommandRunner.vaultctl(["secret", "get", "app/db"], environment: env).standardOutput
                == "line one\nline two\n")
        #expect(!server.log.contains("s3cr3t-value"))
    }

    @Test func valueOnTheCommandLineIsRefused() throws {
        let result = try CommandRunner.vaultctl(["secret", "put", "app/db", "hunter2"])
        #expect(result.exitCode == 2)
        #expect(result.standardError.contains("never taken from the command line"))
    }

    @Test func exitCodesTellNotFoundFromPermissionDeniedFromFailure() throws {
        let directory = TemporaryDirectory()
        let server = try DevServer(directory: directory.path)
        var env = server.environment
        #expect(try CommandRunner.vaultctl(["secret", "get", "app/none"], environment: env).exitCode == 3)
        env["VAULTCTL_TOKEN"] = "vlt.this-token-does-not-exist"
        let denied = try CommandRunner.vaultctl(["secret", "get", "app/none"], environment: env)
        #expect(denied.exitCode == 4)
        #expect(denied.standardError.contains("VAULTCTL_TOKEN"))
        env["VAULTCTL_ADDR"] = "http://127.0.0.1:1"
        let refused = try CommandRunner.vaultctl(["secret", "get", "app/none"], environment: env)
        #expect(refused.exitCode == 1)
        #expect(refused.standardError.contains("cannot reach the server at http://127.0.0.1:1"))
        let usage = try CommandRunner.vaultctl(["secret", "get"], environment: env)
        #expect(usage.exitCode == 2)
        #expect(usage.standardError.contains("missing argument PATH"))
    }

    @Test func devServerRestartKeepsSecretsAndStopsCleanlyOnSIGTERM() throws {
        let directory = TemporaryDirectory()
        let first = try DevServer(
            directory: directory.path, extraArguments: ["--dev-root-token", "dev-root-token-for-tests"])
        #expect(first.rootToken == "dev-root-token-for-tests")
        #expect(
            try CommandRunner.vaultctl(["secret", "put", "app/kept"], input: "kept", environment: first.environment)
                .exitCode == 0)
        #expect(first.stop() == 0)
        let second = try DevServer(directory: directory.path)
        #expect(second.rootToken == "dev-root-token-for-tests")
        #expect(
            try CommandRunner.vaultctl(["secret", "get", "app/kept"], environment: second.environment).standardOutput
                == "kept")
        let status = try CommandRunner.vaultctl(
            ["operator", "status", "--format", "json"], environment: second.environment)
        #expect(status.standardOutput.contains("\"sealed\" : false"))
    }
}
