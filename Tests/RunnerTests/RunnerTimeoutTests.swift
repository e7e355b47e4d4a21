import Foundation
import TestSupport
import Testing

/// A job past its timeout is ended with every process it started, those in their own session too.
@Suite struct RunnerTimeoutTests {
    /// `auto` runs the step inside bubblewrap where it works; `session` in its own session only.
    @Test(arguments: ["auto", "session"])
    func jobPastItsTimeoutEndsTimedOutAndLeavesNoProcess(isolation: String) throws {
        let marker = "1000.\(UInt32.random(in: 1...UInt32.max))"
        let fixture = try RunnerFixture(
            pipeline: """
                on: { push: { branches: [main] } }
                jobs:
                  hang:
                    timeout-minutes: 0.05
                    steps:
                      - run: |
                          setsid sleep \(marker) &
                          echo started
                          sleep 600
                """,
            serverArguments: ["--no-runner"])
        let work = fixture.directory.file("work")
        let config = try fixture.registerRunner(name: "timeout-\(isolation)", workDirectory: work)
        let runner = try RunnerProcess(
            config: config, arguments: ["--isolation", isolation, "--heartbeat-interval", "2s"],
            environment: ["PATH": "/usr/bin:/bin", "HOME": fixture.directory.path],
            logFile: fixture.directory.file("runner.log"))
        defer { _ = runner.terminate(waitingUpTo: 15) }

        let job = try fixture.firstJob(ofPipeline: try fixture.startPipeline())
        let id = try #require(job["id"] as? Int)
        let ended = try fixture.waitForEnd(ofJob: id, seconds: 60)
        let log = try fixture.log(ofJob: id)
        #expect(ended["state"] as? String == "timed_out", "\(log)\n\(runner.log)")
        #expect(log.contains("started"))
        #expect(log.contains("==> timed out after"))
        #expect(Self.processes(withArguments: ["sleep", marker]).isEmpty, "the setsid sleep survived the timeout")
        let receipt = try #require(ended["cleanup"] as? [String: Any])
        #expect(receipt["processes_left"] as? Int == 0)
        #expect(receipt["workspace_removed"] as? Bool == true)
        #expect(fixture.workspaces(in: work).isEmpty)
        if isolation == "session" {
            #expect(receipt["bwrap"] as? Bool == false)
        }
    }

    /// Pids of live processes whose command line is exactly `arguments`.
    static func processes(withArguments arguments: [String]) -> [String] {
        let wanted = Data(arguments.joined(separator: "\0").utf8) + Data([0])
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.filter { entry in
            guard Int(entry) != nil else { return false }
            return FileManager.default.contents(atPath: "/proc/\(entry)/cmdline") == wanted
        }
    }
}
