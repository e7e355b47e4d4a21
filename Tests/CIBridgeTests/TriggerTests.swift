import CIBridge
import Testing

/// `on.push.branches` decides which pushes start a pipeline.
@Suite struct TriggerTests {
    private static let jobs = "jobs:\n  build:\n    steps: [{ run: make }]\n"

    private func isTriggered(_ on: String, branch: String? = nil, ref: String? = nil) throws -> Bool {
        let push =
            ref.map { PushContext(repository: "acme/payments", ref: $0, commit: "abc") }
            ?? PipelineFixtures.push(branch: branch ?? "main")
        let outcome = try PipelineCompiler().compile(on + "\n" + Self.jobs, push: push)
        return outcome.pipeline != nil
    }

    @Test(arguments: [
        ("main", true), ("release/1.0", true), ("release/1.0/hotfix", false), ("feature/x", false),
        ("mainline", false), ("releases/1.0", false),
    ])
    func singleStarStopsAtSlash(branch: String, expected: Bool) throws {
        #expect(try isTriggered("on: { push: { branches: [main, \"release/*\"] } }", branch: branch) == expected)
    }

    @Test(arguments: [
        ("feature/a", true), ("feature/a/b/c", true), ("feature", false), ("features/a", false),
    ])
    func doubleStarCrossesSlashes(branch: String, expected: Bool) throws {
        #expect(try isTriggered("on:\n  push:\n    branches: ['feature/**']", branch: branch) == expected)
    }

    @Test func starAloneMatchesBranchesWithoutSlashOnly() throws {
        #expect(try isTriggered("on: { push: { branches: ['*'] } }", branch: "dev"))
        #expect(try !isTriggered("on: { push: { branches: ['*'] } }", branch: "dev/x"))
        #expect(try isTriggered("on: { push: { branches: ['**'] } }", branch: "dev/x"))
    }

    @Test func laterNegativePatternExcludesAndLaterPositiveIncludesAgain() throws {
        let on = "on: { push: { branches: ['release/**', '!release/**-alpha', 'release/v2-alpha'] } }"
        #expect(try isTriggered(on, branch: "release/v1"))
        #expect(try !isTriggered(on, branch: "release/v1-alpha"))
        #expect(try isTriggered(on, branch: "release/v2-alpha"))
    }

    @Test func branchesIgnoreSkipsMatchingBranches() throws {
        let on = "on: { push: { branches-ignore: ['dependabot/**'] } }"
        #expect(try isTriggered(on, branch: "main"))
        #expect(try !isTriggered(on, branch: "dependabot/npm/left-pad"))
    }

    @Test func tagPushDoesNotMatchABranchFilterButTriggersPlainPush() throws {
        #expect(try !isTriggered("on: { push: { branches: ['**'] } }", ref: "refs/tags/v1.0"))
        #expect(try isTriggered("on: push", ref: "refs/tags/v1.0"))
        #expect(try isTriggered("on: [push]", branch: "anything"))
        #expect(try isTriggered("", branch: "anything"))
    }

    @Test func notTriggeredOutcomeSaysWhy() throws {
        let outcome = try PipelineCompiler().compile(
            "on: { push: { branches: [main] } }\n" + Self.jobs, push: PipelineFixtures.push(branch: "dev"))
        #expect(outcome == .notTriggered(reason: "branch 'dev' does not match on.push.branches"))
    }

    @Test func manualRunIgnoresBranchFilters() throws {
        let push = PushContext(repository: "r", ref: "refs/heads/dev", commit: "abc", isManual: true)
        let outcome = try PipelineCompiler().compile("on: { push: { branches: [main] } }\n" + Self.jobs, push: push)
        #expect(outcome.pipeline != nil)
    }

    @Test func brokenFileIsAnErrorEvenWhenThePushDoesNotMatch() {
        let yaml = "on: { push: { branches: [main] } }\njobs:\n  build:\n    step: []\n"
        let error = PipelineFixtures.error(yaml, push: PipelineFixtures.push(branch: "dev"))
        #expect(error?.code == .unknownKey)
        #expect(error?.location.line == 4)
    }

    @Test func unsupportedOrOnlyNegativePatternsAreErrors() {
        let question = PipelineFixtures.error("on: { push: { branches: ['v?'] } }\n" + Self.jobs)
        #expect(question?.code == .invalidBranchFilter)
        #expect(question?.location.line == 1)
        let negative = PipelineFixtures.error("on:\n  push:\n    branches:\n      - '!main'\n" + Self.jobs)
        #expect(negative?.code == .invalidBranchFilter)
        #expect(negative?.location.line == 4)
        let event = PipelineFixtures.error("on: [push, pull_request]\n" + Self.jobs)
        #expect(event?.code == .unknownKey)
    }
}
