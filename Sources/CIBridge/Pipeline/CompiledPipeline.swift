/// A pipeline file compiled for one push: the expanded jobs, ready for the scheduler to store.
///
/// Jobs come in file order, each matrix job expanded in place into its combinations. Every
/// `needs` entry names expanded job ids, so the scheduler needs no knowledge of matrices.
public struct CompiledPipeline: Sendable, Codable, Equatable {
    /// The workflow's `name`, if any.
    public var name: String?
    /// The push the pipeline was compiled for.
    public var push: PushContext
    /// The workflow-level `env`, after substitution; already merged into every job's `env`.
    public var env: [String: String]
    /// The expanded jobs.
    public var jobs: [CompiledJob]

    /// Creates a compiled pipeline.
    public init(name: String?, push: PushContext, env: [String: String], jobs: [CompiledJob]) {
        self.name = name
        self.push = push
        self.env = env
        self.jobs = jobs
    }

    /// The job with id `id`.
    public func job(_ id: String) -> CompiledJob? {
        jobs.first { $0.id == id }
    }
}

/// What compiling a pipeline file for a push produced.
public enum PipelineOutcome: Sendable, Codable, Equatable {
    /// The push matches the trigger: run these jobs.
    case triggered(CompiledPipeline)
    /// The file is valid but the push does not match `on.push`; the reason says why.
    case notTriggered(reason: String)

    /// The compiled pipeline when triggered.
    public var pipeline: CompiledPipeline? {
        if case .triggered(let pipeline) = self { pipeline } else { nil }
    }
}
