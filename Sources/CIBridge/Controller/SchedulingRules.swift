/// One job as the scheduling rules see it: its spec and where it stands.
struct ScheduledJob: Sendable {
    var id: Int64
    var name: String
    var state: JobState
    var cancelRequested: Bool
    var spec: CompiledJob
}

/// A change the rules decide; the controller applies it in the same transaction.
struct JobChange: Sendable, Equatable {
    var jobID: Int64
    var state: JobState?
    var requestCancel: Bool
    var reason: String?
}

/// The scheduler's decisions as pure functions over a pipeline's jobs, testable without I/O.
enum SchedulingRules {
    /// What should change now: blocked jobs whose needs are all done become queued or skipped,
    /// fail-fast cancels matrix siblings, and a cancelled pipeline stops what has not ended.
    static func changes(for jobs: [ScheduledJob], pipelineCancelled: Bool) -> [JobChange] {
        var current = Dictionary(uniqueKeysWithValues: jobs.map { ($0.name, $0) })
        var changes: [JobChange] = []
        func apply(_ change: JobChange) {
            guard var job = current.values.first(where: { $0.id == change.jobID }) else { return }
            if let state = change.state { job.state = state }
            if change.requestCancel { job.cancelRequested = true }
            current[job.name] = job
            changes.append(change)
        }
        if pipelineCancelled {
            for job in jobs where !job.state.isFinal {
                apply(cancellation(of: job, reason: "the pipeline was cancelled"))
            }
        }
        for job in jobs where failsFast(job) {
            for sibling in jobs where sibling.spec.group == job.spec.group && sibling.id != job.id {
                guard let latest = current[sibling.name], !latest.state.isFinal, !latest.cancelRequested else {
                    continue
                }
                apply(cancellation(of: latest, reason: "fail-fast: \(job.name) failed"))
            }
        }
        // Settle blocked jobs in file order; a skip can unblock later jobs in the same pass.
        var progressed = true
        while progressed {
            progressed = false
            for job in jobs {
                guard let latest = current[job.name], latest.state == .blocked,
                    let outcomes = needOutcomes(of: latest, in: current)
                else { continue }
                let status = ConditionStatus(outcomes: outcomes, isCancelled: pipelineCancelled)
                if latest.spec.condition.isSatisfied(by: status) {
                    apply(JobChange(jobID: latest.id, state: .queued, requestCancel: false, reason: nil))
                } else {
                    apply(
                        JobChange(
                            jobID: latest.id, state: .skipped, requestCancel: false,
                            reason: "its if: condition is false"))
                }
                progressed = true
            }
        }
        return changes
    }

    /// The pipeline's state once its jobs are all final; nil while any is not.
    static func pipelineState(for jobs: [ScheduledJob]) -> PipelineState? {
        guard jobs.allSatisfy({ $0.state.isFinal }) else { return nil }
        if jobs.contains(where: { $0.state == .error }) { return .error }
        if jobs.contains(where: { isFailure($0) }) { return .failure }
        if jobs.contains(where: { $0.state == .cancelled }) { return .cancelled }
        return .success
    }

    /// How an ended job counts for the conditions of the jobs that need it.
    static func outcome(of job: ScheduledJob) -> ConditionStatus.Outcome {
        switch job.state {
        case .success: .success
        case .skipped: .skipped
        case .cancelled: .cancelled
        case .failure, .timedOut, .error: job.spec.continueOnError ? .success : .failure
        case .blocked, .queued, .claimed, .running: .failure
        }
    }

    private static func needOutcomes(of job: ScheduledJob, in jobs: [String: ScheduledJob]) -> [ConditionStatus
        .Outcome]?
    {
        var outcomes: [ConditionStatus.Outcome] = []
        for name in job.spec.needs {
            guard let need = jobs[name], need.state.isFinal else { return nil }
            outcomes.append(outcome(of: need))
        }
        return outcomes
    }

    private static func failsFast(_ job: ScheduledJob) -> Bool {
        job.spec.failFast && job.spec.matrix != nil && isFailure(job)
    }

    private static func isFailure(_ job: ScheduledJob) -> Bool {
        [.failure, .timedOut, .error].contains(job.state) && !job.spec.continueOnError
    }

    private static func cancellation(of job: ScheduledJob, reason: String) -> JobChange {
        if job.state.isHeld {
            return JobChange(jobID: job.id, state: nil, requestCancel: true, reason: reason)
        }
        return JobChange(jobID: job.id, state: .cancelled, requestCancel: false, reason: reason)
    }
}
