import Foundation
import Testing

@testable import CIBridge

@Suite struct ControllerSchedulingTests {
    @Test func jobIsQueuedTheMomentItsOwnNeedsAreDone() throws {
        let fixture = try ControllerFixture()
        let runner = try fixture.runner()
        let id = try fixture.pipeline([job("a"), job("b"), job("c", needs: ["a"]), job("d", needs: ["b", "c"])])
        #expect(try fixture.state(ofJob: "a", pipeline: id) == .queued)
        #expect(try fixture.state(ofJob: "c", pipeline: id) == .blocked)
        let first = try #require(try fixture.controller.claim(for: runner))
        #expect(first.name == "a")
        try fixture.controller.complete(
            jobID: first.id, epoch: first.epoch, runner: runner, state: .success, exitCode: 0, cleanup: nil)
        #expect(try fixture.state(ofJob: "c", pipeline: id) == .queued, "c needs only a, so it does not wait for b")
        #expect(try fixture.state(ofJob: "d", pipeline: id) == .blocked)
    }

    @Test func failedNeedSkipsDependentsAndFailsThePipeline() throws {
        let fixture = try ControllerFixture()
        let runner = try fixture.runner()
        let id = try fixture.pipeline([
            job("build"), job("test", needs: ["build"]), job("report", needs: ["build"], condition: .status(.always)),
        ])
        let build = try #require(try fixture.controller.claim(for: runner))
        try fixture.controller.complete(
            jobID: build.id, epoch: build.epoch, runner: runner, state: .failure, exitCode: 2, cleanup: nil)
        #expect(try fixture.state(ofJob: "test", pipeline: id) == .skipped)
        #expect(try fixture.state(ofJob: "report", pipeline: id) == .queued)
        let report = try #require(try fixture.controller.claim(for: runner))
        try fixture.controller.complete(
            jobID: report.id, epoch: report.epoch, runner: runner, state: .success, exitCode: 0, cleanup: nil)
        #expect(try fixture.controller.pipeline(id).0.state == .failure)
    }

    @Test func failFastCancelsMatrixSiblingsAndMaxParallelCapsThem() throws {
        let fixture = try ControllerFixture()
        let runner = try fixture.runner(capacity: 8)
        let id = try fixture.pipeline([
            job("t1", group: "t", matrix: true, maxParallel: 2), job("t2", group: "t", matrix: true, maxParallel: 2),
            job("t3", group: "t", matrix: true, maxParallel: 2),
        ])
        let first = try #require(try fixture.controller.claim(for: runner))
        let second = try #require(try fixture.controller.claim(for: runner))
        #expect(try fixture.controller.claim(for: runner) == nil, "max-parallel 2 holds the third back")
        try fixture.controller.complete(
            jobID: first.id, epoch: first.epoch, runner: runner, state: .failure, exitCode: 1, cleanup: nil)
        #expect(try fixture.state(ofJob: "t3", pipeline: id) == .cancelled)
        #expect(try fixture.controller.heartbeat(jobID: second.id, epoch: second.epoch, runner: runner) == true)
    }

    @Test func jobNoRunnerCanTakeEndsInErrorAtOnce() throws {
        let fixture = try ControllerFixture()
        _ = try fixture.runner(labels: ["linux"])
        let id = try fixture.pipeline([job("gpu", labels: ["linux", "gpu"])])
        let jobs = try fixture.controller.pipeline(id).1
        #expect(jobs.first?.state == .error)
        #expect(jobs.first?.reason?.contains("gpu") == true)
        #expect(try fixture.controller.pipeline(id).0.state == .error)
    }

    @Test func twentyClaimersRacingForOneJobProduceExactlyOneWinnerEveryTime() throws {
        let fixture = try ControllerFixture()
        let runners = try (0..<20).map { try fixture.runner(capacity: 64, name: "r\($0)") }
        for round in 0..<1_000 {
            try fixture.pipeline([job("j\(round)")])
            let winners = Winners()
            DispatchQueue.concurrentPerform(iterations: runners.count) { index in
                if let claimed = try? fixture.controller.claim(for: runners[index]) {
                    winners.add(claimed.id)
                }
            }
            #expect(winners.count == 1, "round \(round)")
        }
    }

    @Test func silentRunnersJobIsRequeuedAndItsOldEpochIsRefused() throws {
        let fixture = try ControllerFixture()
        let runner = try fixture.runner()
        let id = try fixture.pipeline([job("build")])
        let first = try #require(try fixture.controller.claim(for: runner))
        #expect(first.attempt == 1)
        fixture.clock.advance(by: 31)
        fixture.controller.sweep()
        let again = try #require(try fixture.controller.claim(for: runner))
        #expect(again.id == first.id)
        #expect(again.attempt == 2)
        #expect(again.epoch > first.epoch)
        #expect(throws: CIError(.staleEpoch, "")) {
            try fixture.controller.heartbeat(jobID: first.id, epoch: first.epoch, runner: runner)
        }
        #expect(throws: CIError(.staleEpoch, "")) {
            try fixture.controller.appendLog(jobID: first.id, epoch: first.epoch, runner: runner, offset: 0, bytes: [1])
        }
        #expect(throws: CIError(.staleEpoch, "")) {
            try fixture.controller.complete(
                jobID: first.id, epoch: first.epoch, runner: runner, state: .success, exitCode: 0, cleanup: nil)
        }
        try fixture.controller.complete(
            jobID: again.id, epoch: again.epoch, runner: runner, state: .success, exitCode: 0, cleanup: nil)
        #expect(try fixture.controller.pipeline(id).0.state == .success)
    }

    @Test func lastAttemptThatLapsesEndsInError() throws {
        let fixture = try ControllerFixture(
            options: CIOptions(jobLeaseSeconds: 10, maxAttempts: 2, sweepIntervalSeconds: 3600))
        let runner = try fixture.runner()
        let id = try fixture.pipeline([job("build")])
        for _ in 0..<2 {
            _ = try #require(try fixture.controller.claim(for: runner))
            fixture.clock.advance(by: 11)
            fixture.controller.sweep()
        }
        #expect(try fixture.state(ofJob: "build", pipeline: id) == .error)
    }

    @Test func logAppendsAreIdempotentAndRefuseGaps() throws {
        let fixture = try ControllerFixture()
        let runner = try fixture.runner()
        try fixture.pipeline([job("build")])
        let claimed = try #require(try fixture.controller.claim(for: runner))
        let hello = Array("hello ".utf8)
        #expect(
            try fixture.controller.appendLog(
                jobID: claimed.id, epoch: claimed.epoch, runner: runner, offset: 0, bytes: hello) == 6)
        #expect(
            try fixture.controller.appendLog(
                jobID: claimed.id, epoch: claimed.epoch, runner: runner, offset: 0, bytes: hello) == 6)
        #expect(
            try fixture.controller.appendLog(
                jobID: claimed.id, epoch: claimed.epoch, runner: runner, offset: 3, bytes: Array("lo world".utf8)) == 11
        )
        do {
            _ = try fixture.controller.appendLog(
                jobID: claimed.id, epoch: claimed.epoch, runner: runner, offset: 20, bytes: [1])
            Issue.record("a gap was accepted")
        } catch {
            #expect(error.code == .logGap)
            #expect(error.offset == 11)
        }
        #expect(
            String(decoding: try fixture.controller.log(jobID: claimed.id, from: 0), as: UTF8.self) == "hello world")
    }

    @Test func restartedControllerLosesNoJob() throws {
        let fixture = try ControllerFixture()
        let runner = try fixture.runner()
        let id = try fixture.pipeline([job("a"), job("b"), job("c"), job("d", needs: ["a"])])
        let claimed = try #require(try fixture.controller.claim(for: runner))
        let running = try #require(try fixture.controller.claim(for: runner))
        _ = try fixture.controller.heartbeat(jobID: running.id, epoch: running.epoch, runner: runner)
        let before = try fixture.controller.pipeline(id).1.map { "\($0.name)=\($0.state.rawValue)" }
        let restarted = try fixture.restarted()
        let after = try restarted.pipeline(id).1.map { "\($0.name)=\($0.state.rawValue)" }
        #expect(before == after)
        #expect(after.contains("a=claimed") || after.contains("\(claimed.name)=claimed"))
        #expect(try restarted.claim(for: runner)?.name == "c")
        try restarted.complete(
            jobID: claimed.id, epoch: claimed.epoch, runner: runner, state: .success, exitCode: 0, cleanup: nil)
        #expect(try restarted.pipeline(id).1.first { $0.name == "d" }?.state == .queued)
    }
}

/// Claim results gathered from many threads.
private final class Winners: @unchecked Sendable {
    private let lock = NSLock()
    private var ids: [Int64] = []

    func add(_ id: Int64) { lock.withLock { ids.append(id) } }

    var count: Int { lock.withLock { ids.count } }
}

@Suite struct UnreachableLabelTests {
    @Test func dependentsOfAJobNoRunnerCanTakeAreSkippedAndThePipelineEnds() throws {
        let fixture = try ControllerFixture()
        _ = try fixture.runner(labels: ["linux"])
        let id = try fixture.pipeline([job("build", labels: ["arm"]), job("test", needs: ["build"])])
        #expect(try fixture.state(ofJob: "build", pipeline: id) == .error)
        #expect(try fixture.state(ofJob: "test", pipeline: id) == .skipped)
        #expect(try fixture.controller.pipeline(id).0.state == .error)
    }
}
