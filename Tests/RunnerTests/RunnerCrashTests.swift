import Foundation
import TestSupport
import Testing

/// A runner killed mid-job: the server requeues the job, another runner finishes it, and the dead
/// runner's attempt is refused from then on.
@Suite struct RunnerCrashTests {
    @Test func jobOfAKilledRunnerIsRequeuedFinishedByAnotherAndTheOldAttemptGets409() throws {
        let fixture = try RunnerFixture(
            pipeline: """
                on: { push: { branches: [main] } }
                jobs:
                  slow:
                    steps:
                      - run: env
                      - run: |
                          echo "attempt $CI_JOB_ATTEMPT started"
                          sleep 4
                          echo "attempt $CI_JOB_ATTEMPT done"
                """,
            serverArguments: ["--no-runner", "--job-lease-ttl", "3s"])
        let marker = "runner-marker-\(UUID().uuidString)"
        let environment = ["PATH": "/usr/bin:/bin", "HOME": fixture.directory.path, "VAULT_RUNNER_MARKER": marker]
        let firstWork = fixture.directory.file("work-a")
        let firstConfig = try fixture.registerRunner(name: "runner-a", workDirectory: firstWork)
        let secondConfig = try fixture.registerRunner(name: "runner-b", workDirectory: fixture.directory.file("work-b"))
        let arguments = ["--heartbeat-interval", "1s", "--isolation", "session"]
        let first = try RunnerProcess(
            config: firstConfig, arguments: arguments, environment: environment,
            logFile: fixture.directory.file("runner-a.log"))

        let job = try fixture.firstJob(ofPipeline: try fixture.startPipeline())
        let id = try #require(job["id"] as? Int)
        let running = try fixture.waitForJob(id, seconds: 30) { $0["state"] as? String == "running" }
        _ = try fixture.waitFor("the first attempt's output", seconds: 30) {
            try fixture.log(ofJob: id).contains("attempt 1 started") ? true : nil
        }
        let oldEpoch = try #require(running["epoch"] as? Int)
        first.kill()
        #expect(fixture.workspaces(in: firstWork).count == 1, "a killed runner leaves its workspace")

        let requeued = try fixture.waitForJob(id, seconds: 30) { $0["attempt"] as? Int == 2 }
        #expect(["queued", "claimed", "running"].contains(requeued["state"] as? String ?? ""))
        let second = try RunnerProcess(
            config: secondConfig, arguments: arguments, environment: environment,
            logFile: fixture.directory.file("runner-b.log"))
        defer { _ = second.terminate(waitingUpTo: 15) }
        let ended = try fixture.waitForEnd(ofJob: id, seconds: 60)
        let log = try fixture.log(ofJob: id)
        #expect(ended["state"] as? String == "success", "\(log)\n\(second.log)")
        #expect(ended["attempt"] as? Int == 2)
        #expect(log.contains("attempt 1 started"), "the first attempt's output stays in the log")
        #expect(log.contains("attempt 2 done"))
        #expect(!log.contains(marker), "the runner's own environment reached a step")

        let configuration = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: firstConfig)))
        let firstToken = try #require((configuration as? [String: Any])?["token"] as? String)
        let beat = try fixture.curl(
            "POST", "/v1/jobs/\(id)/heartbeat", body: #"{"epoch": \#(oldEpoch)}"#, token: firstToken)
        #expect(beat.status == 409)
        let append = try fixture.curl(
            "PATCH", "/v1/jobs/\(id)/log", body: "late", token: firstToken, headers: ["Content-Range: bytes 0-3/*"],
            query: "?epoch=\(oldEpoch)")
        #expect(append.status == 409)
        let complete = try fixture.curl(
            "POST", "/v1/jobs/\(id)/complete", body: #"{"epoch": \#(oldEpoch), "status": "failure"}"#, token: firstToken
        )
        #expect(complete.status == 409)
        #expect(try fixture.curl("GET", "/v1/jobs/\(id)").object["state"] as? String == "success")

        // Restarted, the first runner clears what its crash left, and stops cleanly on SIGTERM.
        let restarted = try RunnerProcess(
            config: firstConfig, arguments: arguments, environment: environment,
            logFile: fixture.directory.file("runner-a-again.log"))
        _ = try fixture.waitFor("the restarted runner", seconds: 20) {
            restarted.log.contains("runner started") ? true : nil
        }
        #expect(fixture.workspaces(in: firstWork).isEmpty)
        #expect(restarted.terminate(waitingUpTo: 15) == 0)
    }
}
