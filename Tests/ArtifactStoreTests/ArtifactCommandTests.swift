import ArtifactStore
import Foundation
import TestSupport
import Testing

@Suite struct ArtifactCommandTests {
    @Test func pushPullListGcAndVerifyWorkThroughTheBinary() throws {
        let directory = TemporaryDirectory()
        let server = try DevServer(directory: directory.path)
        let env = server.environment
        let first = directory.file("app.jar")
        let second = directory.file("notes.txt")
        try TestFiles.random(first, size: 3 << 20)
        try Data("release notes\r\n".utf8).write(to: URL(fileURLWithPath: second))
        let firstDigest = try TestFiles.sha256sum(first)

        let push = try CommandRunner.vaultctl(
            [
                "artifact", "push", first, second, "--name", "release", "--pipeline", "p1", "--job", "j1",
                "--expires-in", "7d",
            ],
            environment: env)
        #expect(push.exitCode == 0, "\(push.standardError)")
        #expect(push.standardOutput.contains("release/app.jar"))
        #expect(push.standardOutput.contains(firstDigest))
        #expect(push.standardError.isEmpty, "no progress bar when not on a terminal")

        let byName = directory.file("by-name.jar")
        let pull = try CommandRunner.vaultctl(["artifact", "pull", "release/app.jar", "-o", byName], environment: env)
        #expect(pull.exitCode == 0, "\(pull.standardError)")
        #expect(try TestFiles.sha256sum(byName) == firstDigest)
        let toStandardOutput = try CommandRunner.vaultctl(
            ["artifact", "pull", try TestFiles.sha256sum(second), "-o", "-"], environment: env)
        #expect(toStandardOutput.standardOutput == "release notes\r\n")
        let pulledByDefault = try CommandRunner.vaultctl(
            ["artifact", "pull", "release/notes.txt"], environment: env, directory: directory.path)
        #expect(pulledByDefault.exitCode == 0)
        #expect(FileManager.default.contents(atPath: directory.file("notes.txt")) == Data("release notes\r\n".utf8))

        let list = try CommandRunner.vaultctl(["artifact", "list", "--pipeline", "p1"], environment: env)
        #expect(list.standardOutput.split(separator: "\n").count == 3, "\(list.standardOutput)")
        let dryRun = try CommandRunner.vaultctl(["artifact", "gc", "--dry-run"], environment: env)
        #expect(dryRun.exitCode == 0)
        #expect(dryRun.standardOutput.hasPrefix("would free 0 bytes"))
        let verify = try CommandRunner.vaultctl(["artifact", "verify"], environment: env)
        #expect(verify.exitCode == 0, "\(verify.standardOutput)\(verify.standardError)")

        #expect(try CommandRunner.vaultctl(["artifact", "pull", "no/such/name"], environment: env).exitCode == 3)
        #expect(try CommandRunner.vaultctl(["artifact", "pull", "sha256:ABC"], environment: env).exitCode == 2)
        #expect(
            try CommandRunner.vaultctl(["artifact", "push", directory.file("missing.bin")], environment: env).exitCode
                == 1)
    }

    @Test func pullRefusesContentThatNoLongerMatchesAndVerifyReportsIt() throws {
        let directory = TemporaryDirectory()
        let server = try DevServer(directory: directory.path)
        let env = server.environment
        let file = directory.file("data.bin")
        try Data("original content".utf8).write(to: URL(fileURLWithPath: file))
        #expect(try CommandRunner.vaultctl(["artifact", "push", file], environment: env).exitCode == 0)
        let hex = String(try TestFiles.sha256sum(file).dropFirst(7))
        let stored = directory.file("data/blobs/sha256/\(hex.prefix(2))/\(hex)")
        try Data("tampered content".utf8).write(to: URL(fileURLWithPath: stored))

        let output = directory.file("pulled.bin")
        let pull = try CommandRunner.vaultctl(["artifact", "pull", "data.bin", "-o", output], environment: env)
        #expect(pull.exitCode == 1)
        #expect(pull.standardError.contains("nothing was kept"))
        #expect(!FileManager.default.fileExists(atPath: output))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter {
            $0.hasPrefix(".vaultctl-pull")
        }
        #expect(leftovers.isEmpty)

        let verify = try CommandRunner.vaultctl(["artifact", "verify"], environment: env)
        #expect(verify.exitCode == 1)
        #expect(verify.standardOutput.contains("corrupt blobs: sha256:\(hex)"))
    }
}
