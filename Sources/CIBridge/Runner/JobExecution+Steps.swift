import JobSandbox

extension JobExecution {
    /// Checks out the job's exact commit into the workspace with git, in the sandbox, without prompts.
    func checkOut(_ progress: Progress, log: JobLogStream, deadline: ContinuousClock.Instant) throws(CIError) {
        guard let workspace = progress.workspace else { return }
        let commit = job.commit
        guard [40, 64].contains(commit.utf8.count), commit.utf8.allSatisfy(Self.isLowerHex) else {
            throw CIError(.invalidInput, "the job's commit '\(commit)' is not a full commit id")
        }
        log.line("==> checkout \(commit) of \(job.repository.name)")
        let git = ["git", "-c", "advice.detachedHead=false", "-c", "init.defaultBranch=main"]
        let url = job.repository.cloneURL
        try runGit(git + ["init", "-q"], progress, log: log, deadline: deadline)
        // Fetching the commit by id needs a server speaking protocol v2; older ones get every branch.
        let fetchedByID: Void? = try? runGit(
            git + ["fetch", "-q", "--no-tags", "--depth", "1", "--", url, commit], progress, log: log,
            deadline: deadline)
        if fetchedByID == nil {
            log.line("==> the server did not send the commit by id; fetching every branch instead")
            try runGit(
                git + ["fetch", "-q", "--tags", "--", url, "+refs/heads/*:refs/remotes/origin/*"], progress, log: log,
                deadline: deadline)
        }
        try runGit(git + ["checkout", "-q", "--detach", commit], progress, log: log, deadline: deadline)
        workspace.excludeRunnerDirectoryFromGit()
    }

    /// Runs the steps in order, honouring `if:`, step and job timeouts, and cancels.
    func runSteps(_ progress: Progress, log: JobLogStream, deadline: ContinuousClock.Instant) {
        guard let environment = progress.environment else { return }
        for step in job.steps {
            if control.isCancelled { progress.outcome.cancel() }
            if control.isHalted {
                log.line("==> \(step.name): not run, the job was stopped")
                progress.outcome.record(.skipped, continueOnError: false)
                continue
            }
            let remaining = deadline - ContinuousClock.now
            guard remaining > .zero else {
                log.line("==> the job's timeout of \(job.timeoutSeconds)s is over; \(step.name) is not run")
                progress.outcome.timeOut()
                break
            }
            guard step.condition.isSatisfied(by: progress.outcome.conditionStatus) else {
                log.line("==> \(step.name): skipped (its if: is false)")
                progress.outcome.record(.skipped, continueOnError: step.continueOnError)
                continue
            }
            log.line("==> \(step.name)")
            let timeout = step.timeoutSeconds.map { min(Duration.seconds($0), remaining) } ?? remaining
            do {
                let result = try runSandboxed(
                    .script(step.run), environment: environment.variables(for: step), timeout: timeout, progress,
                    log: log)
                let ending = describe(result, timeout: timeout, log: log)
                if step.continueOnError, ending != .succeeded {
                    log.line("==> continue-on-error: the job goes on")
                }
                progress.outcome.record(ending, continueOnError: step.continueOnError)
            } catch {
                log.line("==> \(error.reason)")
                progress.outcome.record(.failed(exitCode: -1), continueOnError: step.continueOnError)
            }
        }
    }

    /// Runs one command in the sandbox, its output masked (one masker per stream) and sent to the log.
    func runSandboxed(
        _ command: StepCommand, environment: [String: String], timeout: Duration, _ progress: Progress,
        log: JobLogStream, isolation: IsolationPreference? = nil
    ) throws(CIError) -> StepResult {
        guard let workspace = progress.workspace else {
            throw CIError(.storage, "the job has no workspace")
        }
        let step = Step(
            command: command, workspace: workspace.root, environment: environment, limits: options.limits,
            timeout: timeout, gracePeriod: options.stepGrace, isolation: isolation ?? options.isolation,
            hiddenPaths: options.hiddenPaths)
        let cancellation = control.beginStep()
        defer { control.endStep() }
        var standardOutput = SecretMasker(automaton: progress.automaton)
        var standardError = SecretMasker(automaton: progress.automaton)
        let result: StepResult
        do {
            result = try sandbox.run(step, cancellation: cancellation) { chunk in
                switch chunk.stream {
                case .standardOutput: log.append(standardOutput.mask(chunk.bytes))
                case .standardError: log.append(standardError.mask(chunk.bytes))
                }
            }
        } catch {
            throw CIError(.unavailable, "the step could not be run: \(error.reason)")
        }
        log.append(standardOutput.flush())
        log.append(standardError.flush())
        progress.processesLeft += result.processesLeft
        return result
    }

    /// Writes how a step ended to the log and says what it means for the job.
    private func describe(_ result: StepResult, timeout: Duration, log: JobLogStream) -> JobOutcome.StepEnding {
        if result.processesLeft > 0 {
            log.line("==> \(result.processesLeft) process(es) of the step could not be ended")
        }
        switch (result.ending, result.termination) {
        case (.timedOut, _):
            log.line("==> timed out after \(Int(timeout.seconds.rounded()))s; the step's processes were ended")
            return .timedOut
        case (.cancelled, _):
            log.line("==> cancelled; the step's processes were ended")
            return .cancelled
        case (.completed, .exited(0)):
            log.line("==> exit code 0")
            return .succeeded
        case (.completed, .exited(let code)):
            log.line("==> exit code \(code)")
            return .failed(exitCode: Int(code))
        case (.completed, .signalled(let signal)):
            log.line("==> killed by signal \(signal)")
            return .failed(exitCode: 128 + Int(signal))
        }
    }

    /// Runs one git command of the checkout; throws when it does not exit 0.
    private func runGit(
        _ arguments: [String], _ progress: Progress, log: JobLogStream, deadline: ContinuousClock.Instant
    ) throws(CIError) {
        guard let environment = progress.environment else { return }
        let remaining = deadline - ContinuousClock.now
        guard remaining > .zero else { throw CIError(.unavailable, "the job's timeout ran out during the checkout") }
        // git is the runner's own command, with no secret and no job variable: it runs outside bubblewrap,
        // whose private /tmp would hide a repository under the host's /tmp.
        let result = try runSandboxed(
            .arguments(arguments), environment: environment.gitVariables, timeout: remaining, progress, log: log,
            isolation: .sessionOnly)
        guard result.isSuccess else {
            throw CIError(.unavailable, "checkout failed: git \(arguments[5]) did not succeed (\(result.termination))")
        }
    }

    private static func isLowerHex(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x61...0x66).contains(byte)
    }
}
