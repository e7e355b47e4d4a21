import Foundation
import Glibc
import JobSandbox
import Logging
import Testing

@Suite("StepSandbox environment and output")
struct StepSandboxEnvironmentTests {
    @Test(arguments: [IsolationPreference.sessionOnly, .automatic])
    func stepSeesOnlyTheVariablesItWasGiven(isolation: IsolationPreference) throws {
        setenv("VAULT_SANDBOX_RUNNER_ONLY", "runner-secret", 1)
        let fixture = SandboxFixture()
        var step = fixture.step("unused", isolation: isolation)
        step.command = .arguments(["env"])
        step.environment["JOB_VALUE"] = "x y=z"

        let (result, output, _) = try fixture.run(step)

        // bubblewrap sets PWD to the directory it changed into, after any option could unset it.
        let shellSet: Set<String> = result.isolation == .bubblewrap ? ["PWD"] : []
        #expect(result.isSuccess)
        #expect(Self.variableNames(output) == shellSet.union(["PATH", "HOME", "TMPDIR", "JOB_VALUE"]))
        #expect(output.contains("JOB_VALUE=x y=z\n"))
        #expect(!output.contains("runner-secret"))
    }

    @Test(arguments: [IsolationPreference.sessionOnly, .automatic])
    func scriptSeesItsVariablesAndOnlyThePWDItsShellSets(isolation: IsolationPreference) throws {
        setenv("VAULT_SANDBOX_RUNNER_ONLY", "runner-secret", 1)
        let fixture = SandboxFixture()

        let (result, output, _) = try fixture.run(fixture.step("env", isolation: isolation))

        #expect(result.isSuccess)
        #expect(Self.variableNames(output) == ["PATH", "HOME", "TMPDIR", "PWD"])
        #expect(output.contains("PWD=\(fixture.workspace)\n"))
        #expect(!output.contains("runner-secret"))
    }

    private static func variableNames(_ output: String) -> Set<String> {
        Set(output.split(separator: "\n").map { String($0.prefix { $0 != "=" }) })
    }

    @Test func homeAndTemporaryDirectoryAreInsideTheWorkspace() throws {
        let fixture = SandboxFixture()

        let (result, output, _) = try fixture.run(fixture.step("echo $HOME; echo $TMPDIR; mktemp; pwd"))

        let lines = output.split(separator: "\n").map(String.init)
        #expect(result.isSuccess)
        #expect(lines.count == 4)
        #expect(lines.allSatisfy { $0.hasPrefix(fixture.workspace + "/") || $0 == fixture.workspace })
        #expect(lines[2].hasPrefix(fixture.workspace + "/tmp/"))
    }

    @Test func standardOutputAndErrorArriveSeparatelyWithTheExitStatus() throws {
        let fixture = SandboxFixture()

        let (result, output, error) = try fixture.run(fixture.step("echo out; echo err >&2; exit 3"))

        #expect(result.termination == .exited(3))
        #expect(result.ending == .completed)
        #expect(!result.isSuccess)
        #expect(output == "out\n")
        #expect(error == "err\n")
    }

    @Test func failingCommandStopsTheScript() throws {
        let fixture = SandboxFixture()

        let (result, output, _) = try fixture.run(fixture.step("false; echo after"))

        #expect(result.termination == .exited(1))
        #expect(output.isEmpty)
    }

    @Test func signalEndingTheStepIsReported() throws {
        let fixture = SandboxFixture()

        let (result, _, _) = try fixture.run(fixture.step("kill -9 $$"))

        #expect(result.termination == .signalled(SIGKILL))
    }

    @Test(arguments: [IsolationPreference.sessionOnly, .automatic])
    func megabyteOfOutputArrivesCompleteAndInOrder(isolation: IsolationPreference) throws {
        let fixture = SandboxFixture()
        let expected = (1...200_000).map { "\($0)\n" }.joined()

        let (result, output, _) = try fixture.run(fixture.step("seq 1 200000", isolation: isolation))

        #expect(result.isSuccess)
        #expect(expected.utf8.count > 1 << 20)
        #expect(output == expected)
    }

    @Test func argumentVectorRunsWithoutAShell() throws {
        let fixture = SandboxFixture()
        var step = fixture.step("unused")
        step.command = .arguments(["printf", "%s|", "a b", "$HOME"])

        let (result, output, _) = try fixture.run(step)

        #expect(result.isSuccess)
        #expect(output == "a b|$HOME|")
    }

    @Test func stepStartsInTheWorkingDirectoryWithStandardInputEmpty() throws {
        let fixture = SandboxFixture()
        var step = fixture.step("pwd; cat; echo end")
        step.workingDirectory = fixture.directory.file("home")

        let (result, output, _) = try fixture.run(step)

        #expect(result.isSuccess)
        #expect(output == fixture.directory.file("home") + "\nend\n")
    }

    @Test func resourceLimitsApplyInsideTheStep() throws {
        let fixture = SandboxFixture()
        let limits = ResourceLimits(openFiles: 256, processes: 300, coreFileSize: 0, fileSize: 1 << 20)

        let (result, output, _) = try fixture.run(fixture.step("cat /proc/self/limits", limits: limits))

        func limit(_ name: String) -> [String] {
            guard let line = output.split(separator: "\n").first(where: { $0.hasPrefix(name) }) else { return [] }
            return line.dropFirst(name.count).split(separator: " ").prefix(2).map(String.init)
        }
        #expect(result.isSuccess)
        #expect(limit("Max open files") == ["256", "256"])
        #expect(limit("Max processes") == ["300", "300"])
        #expect(limit("Max core file size") == ["0", "0"])
        #expect(limit("Max file size") == ["1048576", "1048576"])
    }

    @Test func fileSizeLimitStopsALargeWrite() throws {
        let fixture = SandboxFixture()
        let limits = ResourceLimits(fileSize: 4096)

        let (result, _, _) = try fixture.run(
            fixture.step("head -c 10000 /dev/zero > big", limits: limits))

        let size = (try? FileManager.default.attributesOfItem(atPath: fixture.directory.file("big"))[.size]) as? Int
        #expect(!result.isSuccess)
        #expect(size == 4096)
    }

    @Test func stepsRunConcurrentlyFromSeveralThreads() async throws {
        let outputs = try await withThrowingTaskGroup(of: (Int, String).self) { group in
            for index in 0..<4 {
                group.addTask {
                    try await Self.onOwnThread {
                        let fixture = SandboxFixture()
                        let run = try fixture.run(fixture.step("sleep 0.3; echo step-\(index)"))
                        return (index, run.output)
                    }
                }
            }
            return try await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
        }

        #expect(outputs == [0: "step-0\n", 1: "step-1\n", 2: "step-2\n", 3: "step-3\n"])
    }

    @Test func relativeWorkspaceIsRejected() throws {
        let fixture = SandboxFixture()
        var step = fixture.step("true")
        step.workspace = "relative/path"

        let error = #expect(throws: SandboxError.self) { try fixture.run(step) }

        #expect(error?.code == .invalidStep)
    }

    @Test func requiringBubblewrapWhereItCannotRunFails() throws {
        let logger = Logger(label: "sandbox-test", sink: .memory())
        let sandbox = StepSandbox(logger: logger, bubblewrap: .unavailable(reason: "bwrap is not installed"))
        let fixture = SandboxFixture()

        let error = #expect(throws: SandboxError.self) {
            try sandbox.run(fixture.step("true", isolation: .requireBubblewrap)) { _ in }
        }

        #expect(error?.code == .bubblewrapUnavailable)
    }

    /// Runs blocking work on a thread of its own, off the cooperative pool.
    static func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
        }
    }
}
