import CIBridge
import Testing

/// Shared helpers: compile YAML text for a push to main and pull out jobs or the error.
enum PipelineFixtures {
    static let mainPush = PushContext(repository: "acme/payments", ref: "refs/heads/main", commit: "0123abcd")

    static func push(branch: String) -> PushContext {
        PushContext(repository: "acme/payments", ref: "refs/heads/\(branch)", commit: "0123abcd")
    }

    /// Compiles and requires a triggered pipeline.
    static func compile(_ yaml: String, push: PushContext = mainPush) throws -> CompiledPipeline {
        let outcome = try PipelineCompiler().compile(yaml, push: push)
        return try #require(outcome.pipeline, "expected a triggered pipeline, got \(outcome)")
    }

    /// Compiles and returns the error, or nil when it compiled.
    static func error(_ yaml: String, push: PushContext = mainPush) -> PipelineError? {
        do {
            _ = try PipelineCompiler().compile(yaml, push: push)
            return nil
        } catch {
            return error
        }
    }

    /// A job `test` with the given strategy lines, indented under `strategy:`.
    static func matrixJob(_ strategy: String) -> String {
        let indented = strategy.split(separator: "\n", omittingEmptySubsequences: false)
            .map { "      " + $0 }.joined(separator: "\n")
        return """
            jobs:
              test:
                strategy:
            \(indented)
                steps:
                  - run: echo hi
            """
    }

    /// The matrix combinations of every job, as `key=value` strings, in order.
    static func combinations(_ pipeline: CompiledPipeline) -> [[String]] {
        pipeline.jobs.map { job in
            (job.matrix?.keys ?? []).map { "\($0)=\(job.matrix?[$0]?.text ?? "")" }
        }
    }
}
