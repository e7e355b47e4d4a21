import Foundation
import Testing

@testable import CIBridge

/// The runner's pure decisions: job state from step endings, step conditions, back-off, environment.
@Suite struct JobRulesTests {
    @Test func firstProblemDecidesTheStateAndContinueOnErrorCountsAsSuccess() {
        var outcome = JobOutcome()
        outcome.record(.succeeded, continueOnError: false)
        outcome.record(.failed(exitCode: 3), continueOnError: true)
        #expect(outcome.state == .success)
        #expect(PipelineExpression.status(.success).isSatisfied(by: outcome.conditionStatus))
        outcome.record(.failed(exitCode: 2), continueOnError: false)
        #expect(outcome.state == .failure)
        #expect(outcome.reportedExitCode == 2)
        #expect(!PipelineExpression.status(.success).isSatisfied(by: outcome.conditionStatus))
        #expect(PipelineExpression.status(.failure).isSatisfied(by: outcome.conditionStatus))
        outcome.record(.timedOut, continueOnError: false)
        #expect(outcome.state == .failure, "a later timeout does not replace the first failure")
        outcome.cancel()
        #expect(outcome.state == .cancelled)
        #expect(PipelineExpression.status(.always).isSatisfied(by: outcome.conditionStatus))
    }

    @Test func aTimedOutStepMakesTheJobTimedOut() {
        var outcome = JobOutcome()
        outcome.record(.succeeded, continueOnError: false)
        outcome.record(.timedOut, continueOnError: false)
        #expect(outcome.state == .timedOut)
        #expect(outcome.hasTimedOut)
    }

    @Test func backoffGrowsWithJitterUpToItsCeilingAndStartsOverAfterASuccess() {
        var backoff = RetryBackoff(base: .seconds(1), ceiling: .seconds(8))
        var generator = SystemRandomNumberGenerator()
        let delays = (0..<6).map { _ in backoff.nextDelay(using: &generator) }
        let bounds: [(Duration, Duration)] = [
            (.milliseconds(500), .seconds(1)), (.seconds(1), .seconds(2)), (.seconds(2), .seconds(4)),
            (.seconds(4), .seconds(8)), (.seconds(4), .seconds(8)), (.seconds(4), .seconds(8)),
        ]
        for (delay, (low, high)) in zip(delays, bounds) {
            #expect(delay >= low && delay <= high, "\(delay) outside \(low)...\(high)")
        }
        backoff.reset()
        #expect(backoff.nextDelay(using: &generator) <= .seconds(1))
    }

    @Test func stepEnvironmentHoldsOnlyTheJobTheStepTheSecretsAndFixedCIVariables() throws {
        let json = """
            {"id": 7, "pipeline": 3, "name": "build", "attempt": 2, "epoch": 9, "job_token": "vjt.secret-token",
             "repo": {"name": "acme/app", "clone_url": "/srv/app.git"}, "commit": "abc", "ref": "refs/heads/main",
             "env": {"APP": "job", "HOME": "/root", "SHARED": "job"}, "secrets": {"DB": "app/db"},
             "steps": [], "artifacts": [], "timeout_s": 60}
            """
        let job = try JSONDecoder().decode(RunnerJob.self, from: Data(json.utf8))
        var environment = JobEnvironment(job: job, workspace: JobWorkspace(root: "/work/job-7"))
        environment.secrets = ["DB": "pw"]
        environment.secretFiles = ["DB": "/work/job-7/.vault-runner/tmp/secrets/DB"]
        let variables = environment.variables(for: CompiledStep(name: "s", run: "true", env: ["SHARED": "step"]))
        #expect(variables["APP"] == "job")
        #expect(variables["SHARED"] == "step")
        #expect(variables["DB"] == "pw")
        #expect(variables["DB_FILE"] == "/work/job-7/.vault-runner/tmp/secrets/DB")
        #expect(variables["HOME"] == "/work/job-7/.vault-runner/home", "a job cannot move HOME out of the workspace")
        #expect(variables["CI_JOB_ID"] == "7")
        #expect(variables["CI_PIPELINE_ID"] == "3")
        #expect(variables["CI_WORKSPACE"] == "/work/job-7")
        #expect(!variables.values.contains { $0.contains("vjt.") }, "the job token is not a step variable")
        // `CI` and `CI_*` are set for every step by design; a CI machine's own `CI=true` is not a leak.
        let runnerOnly = ProcessInfo.processInfo.environment.keys.filter {
            !["PATH", "HOME", "LANG", "CI"].contains($0) && !$0.hasPrefix("CI_")
        }
        #expect(runnerOnly.allSatisfy { variables[$0] == nil || job.env[$0] != nil })
        #expect(!String(describing: job).contains("vjt."))
    }
}
