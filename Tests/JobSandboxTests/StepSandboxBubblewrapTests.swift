import Foundation
import JobSandbox
import Testing

@Suite(
    "StepSandbox inside bubblewrap",
    .enabled(if: BubblewrapProbe.current.isAvailable, "bwrap cannot create namespaces on this host"))
struct StepSandboxBubblewrapTests {
    @Test func probeFindsAWorkingBubblewrap() {
        #expect(BubblewrapProbe.current.path != nil)
        #expect(BubblewrapProbe.current.reason.isEmpty)
    }

    @Test func writingOutsideTheWorkspaceFails() throws {
        let fixture = SandboxFixture()
        let outside = "/var/tmp/vault-sandbox-\(UUID().uuidString)"
        let step = fixture.step("touch \(outside) && echo wrote", isolation: .requireBubblewrap)

        let (result, output, error) = try fixture.run(step)

        #expect(!result.isSuccess)
        #expect(output.isEmpty)
        #expect(error.contains("Read-only file system"))
        #expect(!FileManager.default.fileExists(atPath: outside))
    }

    @Test func workspaceIsWritable() throws {
        let fixture = SandboxFixture()

        let (result, _, _) = try fixture.run(fixture.step("echo kept > out.txt", isolation: .requireBubblewrap))

        #expect(result.isSuccess)
        #expect(FileManager.default.contents(atPath: fixture.directory.file("out.txt")) == Data("kept\n".utf8))
    }

    @Test func temporaryDirectoryIsPrivate() throws {
        let fixture = SandboxFixture()
        let hostFile = "/tmp/vault-sandbox-host-\(UUID().uuidString)"
        let stepFile = "/tmp/vault-sandbox-step-\(UUID().uuidString)"
        FileManager.default.createFile(atPath: hostFile, contents: Data("host".utf8))
        defer { try? FileManager.default.removeItem(atPath: hostFile) }
        let script = "if [ -e \(hostFile) ]; then echo visible; else echo hidden; fi; echo step > \(stepFile)"

        let (result, output, _) = try fixture.run(fixture.step(script, isolation: .requireBubblewrap))

        #expect(result.isSuccess)
        #expect(output == "hidden\n")
        #expect(!FileManager.default.fileExists(atPath: stepFile))
    }

    @Test func stepHasItsOwnPidNamespace() throws {
        let fixture = SandboxFixture()

        let (result, output, _) = try fixture.run(
            fixture.step("ls /proc | grep -c '^[0-9]'", isolation: .requireBubblewrap))

        let count = Int(output.trimmingCharacters(in: .whitespacesAndNewlines)) ?? .max
        #expect(result.isSuccess)
        #expect(count < 10)
    }
}
