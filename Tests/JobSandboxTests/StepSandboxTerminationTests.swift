import Foundation
import JobSandbox
import Testing

/// Each test sleeps for its own number of seconds, so parallel tests never see each other's processes.
@Suite("StepSandbox timeouts, cancel and leftover processes")
struct StepSandboxTerminationTests {
    @Test func timeoutEndsTheTreeIncludingAProcessInItsOwnSession() throws {
        let fixture = SandboxFixture()
        let step = fixture.step("setsid sleep 1001 & sleep 601", timeout: .seconds(2))

        let (result, _, _) = try fixture.run(step)

        #expect(result.ending == .timedOut)
        #expect(result.isolation == .session)
        #expect(result.processesEnded >= 2)
        #expect(result.processesLeft == 0)
        #expect(SandboxFixture.processes(runningExactly: "sleep 1001").isEmpty)
        #expect(SandboxFixture.processes(runningExactly: "sleep 601").isEmpty)
    }

    @Test(.enabled(if: BubblewrapProbe.current.isAvailable, "bwrap cannot create namespaces on this host"))
    func timeoutEndsTheTreeInsideBubblewrap() throws {
        let fixture = SandboxFixture()
        let step = fixture.step("setsid sleep 1002 & sleep 602", isolation: .requireBubblewrap, timeout: .seconds(2))

        let (result, _, _) = try fixture.run(step)

        #expect(result.ending == .timedOut)
        #expect(result.isolation == .bubblewrap)
        #expect(result.processesLeft == 0)
        #expect(SandboxFixture.processes(runningExactly: "sleep 1002").isEmpty)
        #expect(SandboxFixture.processes(runningExactly: "sleep 602").isEmpty)
    }

    @Test func doubleForkedDaemonThatLeftTheTreeIsFoundAndEnded() throws {
        let fixture = SandboxFixture()
        // The subshell exits at once: the daemon is orphaned, in a new session, before any scan can see it.
        let step = fixture.step("(setsid sleep 1003 &); sleep 603", timeout: .seconds(2))

        let (result, _, _) = try fixture.run(step)

        #expect(result.ending == .timedOut)
        #expect(result.processesLeft == 0)
        #expect(SandboxFixture.processes(runningExactly: "sleep 1003").isEmpty)
    }

    @Test func backgroundProcessesLeftByACompletedStepAreEnded() throws {
        let fixture = SandboxFixture()

        let (result, output, _) = try fixture.run(fixture.step("setsid sleep 1004 & sleep 1014 & echo done"))

        #expect(result.isSuccess)
        #expect(output == "done\n")
        #expect(result.processesEnded == 2)
        #expect(result.processesLeft == 0)
        #expect(SandboxFixture.processes(runningExactly: "sleep 1004").isEmpty)
        #expect(SandboxFixture.processes(runningExactly: "sleep 1014").isEmpty)
    }

    @Test func processIgnoringSIGTERMIsKilledAfterTheGracePeriod() throws {
        let fixture = SandboxFixture()
        let step = fixture.step("trap '' TERM; echo ready; sleep 1005", grace: .seconds(1))

        let (result, _) = try fixture.run(step, cancellingAfter: "ready")

        #expect(result.ending == .cancelled)
        // The shell is killed itself, or sees its child killed first and exits with 128 + 9.
        #expect([.signalled(SIGKILL), .exited(128 + SIGKILL)].contains(result.termination))
        #expect(result.processesLeft == 0)
        #expect(SandboxFixture.processes(runningExactly: "sleep 1005").isEmpty)
    }

    @Test func processHandlingSIGTERMGetsTheGracePeriodToFinish() throws {
        let fixture = SandboxFixture()
        // `|| true`: the loop's sleep gets SIGTERM too, and `-e` must not end the shell before its trap runs.
        let script = "trap 'echo cleaning; exit 7' TERM; echo started; while :; do sleep 0.1 || true; done"

        let (result, output) = try fixture.run(fixture.step(script, grace: .seconds(20)), cancellingAfter: "started")

        #expect(result.ending == .cancelled)
        #expect(result.termination == .exited(7))
        #expect(output == "started\ncleaning\n")
    }

    @Test(arguments: [IsolationPreference.sessionOnly, .automatic])
    func cancelFromAnotherThreadEndsTheStep(isolation: IsolationPreference) throws {
        let fixture = SandboxFixture()
        let cancellation = StepCancellation()
        let command = isolation == .sessionOnly ? "sleep 1006" : "sleep 1016"
        Thread.detachNewThread {
            Thread.sleep(forTimeInterval: 0.5)
            cancellation.cancel()
        }

        let (result, _, _) = try fixture.run(
            fixture.step("echo begun; setsid \(command) & wait", isolation: isolation), cancellation: cancellation)

        #expect(result.ending == .cancelled)
        #expect(result.processesLeft == 0)
        #expect(result.duration < .seconds(30))
        #expect(SandboxFixture.processes(runningExactly: command).isEmpty)
    }

    @Test func cancelBeforeTheStartEndsTheStepAtOnce() throws {
        let fixture = SandboxFixture()
        let cancellation = StepCancellation()
        cancellation.cancel()

        let (result, _, _) = try fixture.run(fixture.step("sleep 1007"), cancellation: cancellation)

        #expect(result.ending == .cancelled)
        #expect(cancellation.isCancelled)
        #expect(result.processesLeft == 0)
    }

    @Test func runnerCanBecomeAChildSubreaperAndStillEndsOrphans() throws {
        try StepSandbox.makeRunnerSubreaper()
        let fixture = SandboxFixture()

        let (result, _, _) = try fixture.run(fixture.step("(setsid sleep 1008 &); sleep 608", timeout: .seconds(1)))

        #expect(StepSandbox.isRunnerSubreaper)
        #expect(result.processesLeft == 0)
        #expect(SandboxFixture.processes(runningExactly: "sleep 1008").isEmpty)
    }
}
