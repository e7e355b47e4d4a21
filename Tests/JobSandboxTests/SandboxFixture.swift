import Foundation
import JobSandbox
import Logging
import Synchronization
import TestSupport

/// A workspace with `home` and `tmp` inside it, and helpers to run steps there.
final class SandboxFixture {
    let directory = TemporaryDirectory()
    let sandbox = StepSandbox(logger: Logger(label: "sandbox-test", sink: .memory()))

    init() {
        for name in ["home", "tmp"] {
            try? FileManager.default.createDirectory(atPath: directory.file(name), withIntermediateDirectories: true)
        }
    }

    var workspace: String { directory.path }

    /// The environment a runner would pass: PATH, HOME and TMPDIR only, plus `extra`.
    func environment(_ extra: [String: String] = [:]) -> [String: String] {
        let base = [
            "PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": directory.file("home"), "TMPDIR": directory.file("tmp"),
        ]
        return base.merging(extra) { _, new in new }
    }

    func step(
        _ script: String,
        isolation: IsolationPreference = .sessionOnly,
        timeout: Duration? = .seconds(60),
        grace: Duration = .seconds(2),
        limits: ResourceLimits = ResourceLimits()
    ) -> Step {
        Step(
            command: .script(script), workspace: workspace, environment: environment(), limits: limits,
            timeout: timeout, gracePeriod: grace, isolation: isolation)
    }

    /// Runs `step` and returns the result with standard output and error as text.
    func run(
        _ step: Step, cancellation: StepCancellation? = nil
    ) throws -> (result: StepResult, output: String, error: String) {
        var output: [UInt8] = []
        var error: [UInt8] = []
        let result = try sandbox.run(step, cancellation: cancellation) { chunk in
            switch chunk.stream {
            case .standardOutput: output += chunk.bytes
            case .standardError: error += chunk.bytes
            }
        }
        return (result, String(decoding: output, as: UTF8.self), String(decoding: error, as: UTF8.self))
    }

    /// Runs `step` and cancels it once standard output contains `marker`: a point the step has surely reached.
    func run(_ step: Step, cancellingAfter marker: String) throws -> (result: StepResult, output: String) {
        let cancellation = StepCancellation()
        var output: [UInt8] = []
        let result = try sandbox.run(step, cancellation: cancellation) { chunk in
            guard chunk.stream == .standardOutput else { return }
            output += chunk.bytes
            if String(decoding: output, as: UTF8.self).contains(marker) { cancellation.cancel() }
        }
        return (result, String(decoding: output, as: UTF8.self))
    }

    /// Live processes on the host whose command line is exactly `commandLine`.
    static func processes(runningExactly commandLine: String) -> [Int32] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return names.compactMap(Int32.init).filter { pid in
            guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
            let arguments = data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            return arguments.joined(separator: " ") == commandLine
        }
    }
}
