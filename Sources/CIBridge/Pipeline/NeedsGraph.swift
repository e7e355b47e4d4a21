/// The `needs` edges between job keys, checked for unknown names and cycles before expansion.
struct NeedsGraph {
    private let jobs: [JobDefinition]

    init(_ jobs: [JobDefinition]) {
        self.jobs = jobs
    }

    /// Throws `unknownNeed` at the first need naming no job, then `needsCycle` naming the cycle.
    func check() throws(PipelineError) {
        let ids = Set(jobs.map(\.id))
        for job in jobs {
            for need in job.needs where !ids.contains(need.id) {
                let known = jobs.map(\.id).joined(separator: ", ")
                let reason = "job '\(job.id)' needs '\(need.id)', which is not a job; jobs: \(known)"
                throw PipelineError(.unknownNeed, reason, at: need.location)
            }
        }
        var state: [String: Bool] = [:]  // false: on the current path, true: finished
        var path: [String] = []
        for job in jobs where state[job.id] == nil {
            try visit(job, &state, &path)
        }
    }

    private func visit(_ job: JobDefinition, _ state: inout [String: Bool], _ path: inout [String])
        throws(PipelineError)
    {
        state[job.id] = false
        path.append(job.id)
        for need in job.needs {
            switch state[need.id] {
            case .some(true):
                continue
            case .some(false):
                let start = path.lastIndex(of: need.id) ?? 0
                let cycle = (path[start...] + [need.id]).joined(separator: " → ")
                throw PipelineError(.needsCycle, "needs form a cycle: \(cycle)", at: need.location)
            case .none:
                guard let next = jobs.first(where: { $0.id == need.id }) else { continue }
                try visit(next, &state, &path)
            }
        }
        path.removeLast()
        state[job.id] = true
    }
}
