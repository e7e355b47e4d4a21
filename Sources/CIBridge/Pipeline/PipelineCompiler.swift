/// Compiles a `.vault-ci.yml` file for one push into a `CompiledPipeline`.
///
/// Pure: bytes and a push in, a value out; no I/O, no clock, safe to call from any thread. The
/// whole file is checked before the trigger is looked at, so a broken file is reported on every
/// push, matching or not. The syntax is documented in `docs/pipeline.md`.
public struct PipelineCompiler: Sendable {
    /// Bounds on the input and the output.
    public struct Limits: Sendable, Equatable {
        /// Bounds on the YAML document itself.
        public var yaml: YAMLLimits
        /// The most combinations one matrix may expand to (GitHub's 256).
        public var matrixCombinations: Int
        /// The most jobs a pipeline may hold after expansion.
        public var jobs: Int

        /// Creates limits.
        public init(yaml: YAMLLimits, matrixCombinations: Int, jobs: Int) {
            self.yaml = yaml
            self.matrixCombinations = matrixCombinations
            self.jobs = jobs
        }

        /// The defaults: `YAMLLimits.pipelineFile`, 256 combinations, 1,000 jobs.
        public static let standard = Limits(yaml: .pipelineFile, matrixCombinations: 256, jobs: 1_000)
    }

    /// The limits in force.
    public let limits: Limits

    /// Creates a compiler.
    public init(limits: Limits = .standard) {
        self.limits = limits
    }

    /// Compiles `text` for `push`.
    public func compile(_ text: String, push: PushContext) throws(PipelineError) -> PipelineOutcome {
        try compile(Array(text.utf8), push: push)
    }

    /// Compiles the bytes of a pipeline file for `push`; throws the first error with its line.
    public func compile(_ bytes: [UInt8], push: PushContext) throws(PipelineError) -> PipelineOutcome {
        let root = try YAMLLoader.load(bytes, limits: limits.yaml)
        let workflow = try YAMLMapping(root, "the pipeline file", allowed: PipelineSyntax.workflowKeys)
        let name = try workflow["name"]?.text("name")
        let trigger = try PipelineTrigger(workflow["on"])
        let workflowEnv = try environment(workflow["env"], push: push)
        let definitions = try jobDefinitions(workflow, at: root.location)
        try NeedsGraph(definitions).check()
        let jobs = try expand(definitions, push: push, workflowEnv: workflowEnv)
        if let reason = trigger.reasonNotTriggered(by: push) {
            return .notTriggered(reason: reason)
        }
        return .triggered(CompiledPipeline(name: name, push: push, env: workflowEnv, jobs: jobs))
    }

    /// The workflow `env`: only `github` is available to its expressions.
    private func environment(_ node: YAMLNode?, push: PushContext) throws(PipelineError) -> [String: String] {
        let scope = ExpressionScope(push: push)
        var env: [String: String] = [:]
        for (key, template) in try PipelineSyntax.environment(node, "workflow") {
            env[key] = try template.render(in: scope)
        }
        return env
    }

    private func jobDefinitions(_ workflow: YAMLMapping, at location: PipelineError.Location) throws(PipelineError)
        -> [JobDefinition]
    {
        guard let jobsNode = workflow["jobs"] else {
            throw PipelineError(.emptyJobs, "the pipeline file has no jobs", at: location)
        }
        let jobs = try YAMLMapping(jobsNode, "jobs", allowed: nil)
        guard !jobs.isEmpty else {
            throw PipelineError(.emptyJobs, "jobs is empty; define at least one job", at: jobsNode.location)
        }
        guard jobs.pairs.count <= limits.jobs else {
            throw PipelineError(.tooManyJobs, "more than \(limits.jobs) jobs", at: jobsNode.location)
        }
        var definitions: [JobDefinition] = []
        for pair in jobs.pairs {
            definitions.append(try JobDefinition(id: pair.key, keyLocation: pair.keyLocation, node: pair.value))
        }
        return definitions
    }

    /// Expands every job, then rewrites `needs` from job keys to the expanded ids of each group.
    private func expand(_ definitions: [JobDefinition], push: PushContext, workflowEnv: [String: String])
        throws(PipelineError) -> [CompiledJob]
    {
        var jobs: [CompiledJob] = []
        var idsByGroup: [String: [String]] = [:]
        var lines: [String: Int] = [:]
        for definition in definitions {
            let expanded = try definition.expand(
                push: push, workflowEnv: workflowEnv, matrixLimit: limits.matrixCombinations)
            for job in expanded {
                if let first = lines[job.id] {
                    let reason =
                        "the matrix yields job id '\(job.id)' twice (first from line \(first)); "
                        + "make the include entries differ"
                    throw PipelineError(.duplicateJob, reason, at: definition.matrix?.location ?? definition.location)
                }
                lines[job.id] = definition.matrix?.location.line ?? definition.location.line
            }
            guard jobs.count + expanded.count <= limits.jobs else {
                let reason = "the pipeline expands to more than \(limits.jobs) jobs"
                throw PipelineError(.tooManyJobs, reason, at: definition.location)
            }
            idsByGroup[definition.id] = expanded.map(\.id)
            jobs += expanded
        }
        for index in jobs.indices {
            var seen: Set<String> = []
            jobs[index].needs = jobs[index].needs.flatMap { idsByGroup[$0] ?? [] }.filter { seen.insert($0).inserted }
        }
        return jobs
    }
}
