import Dispatch
import Foundation
import HTTPClient
import JobSandbox
import Logging
import Synchronization

/// The bundled runner: long-polls the server for jobs and runs up to `capacity` of them at once, each
/// on a thread of its own.
///
/// While the server cannot be reached it backs off with jitter. `stop()` (SIGTERM) makes it take no
/// more jobs and let the running ones finish; after the shutdown grace they are cancelled, and still
/// cleaned up and reported. A second `stop()` cancels them at once.
public final class Runner: Sendable {
    private struct State {
        var jobs: [Int64: JobControl] = [:]
        var isStopping = false
        var isDrained = false
        var deadline: ContinuousClock.Instant?
    }

    /// What the runner runs with.
    public let configuration: RunnerConfiguration
    private let options: RunnerOptions
    private let client: RunnerClient
    private let sandbox: StepSandbox
    private let logger: Logger
    private let state = Mutex(State())
    /// Signalled when a job ends or a stop is asked for, to wake the waiting loops.
    private let changed = DispatchSemaphore(value: 0)
    private let stopRequested = DispatchSemaphore(value: 0)
    /// Cuts the poller's back-off short when a stop is asked for.
    private let pollerWake = DispatchSemaphore(value: 0)
    private let drained = DispatchSemaphore(value: 0)

    /// A runner for `configuration`; nothing runs until `run()`.
    public init(
        configuration: RunnerConfiguration, options: RunnerOptions = RunnerOptions(), logger: Logger,
        http: HTTPClient = HTTPClient(userAgent: "vaultctl-runner"), sandbox: StepSandbox? = nil
    ) {
        self.configuration = configuration
        self.options = options
        self.logger = logger
        self.client = RunnerClient(url: configuration.url, runnerToken: configuration.token, http: http)
        self.sandbox = sandbox ?? StepSandbox(logger: logger.child(label: "sandbox"))
    }

    /// Runs until `stop()` has been called and every job has ended; blocks the calling thread.
    public func run() {
        announceIsolation()
        do {
            try StepSandbox.makeRunnerSubreaper()
        } catch {
            logger.warning("runner cannot become a subreaper", ["error": "\(error)"])
        }
        let leftovers = JobWorkspace.removeLeftovers(in: configuration.workDirectory)
        if leftovers > 0 {
            logger.notice("removed workspaces left by an earlier run", ["workspaces.removed": "\(leftovers)"])
        }
        logger.notice(
            "runner started",
            ["runner.id": configuration.runnerID, "runner.name": configuration.name, "server.url": client.baseURL])
        let poller = Thread { [self] in pollUntilStopped() }
        poller.name = "vaultctl.runner.poll"
        poller.start()
        stopRequested.wait()
        drain()
        logger.notice("runner stopped", ["runner.id": configuration.runnerID])
    }

    /// Starts `run()` on a thread of its own, for a runner inside another program (dev mode).
    public func start() {
        let thread = Thread { [self] in run() }
        thread.name = "vaultctl.runner"
        thread.start()
    }

    /// Stops taking jobs; running jobs get the shutdown grace. A second call cancels them at once.
    public func stop() {
        let isFirst = state.withLock { state -> Bool in
            defer { state.isStopping = true }
            if state.isStopping {
                state.deadline = .now
                return false
            }
            state.deadline = .now + options.shutdownGrace
            return true
        }
        if isFirst {
            logger.notice("runner stopping; running jobs may finish", ["jobs.running": "\(runningCount)"])
            stopRequested.signal()
        }
        pollerWake.signal()
        changed.signal()
    }

    /// Stops and waits until every job has ended (cancelled after `grace`).
    public func stopAndWait() {
        stop()
        drained.wait()
        drained.signal()
    }

    /// How many jobs are running now.
    public var runningCount: Int {
        state.withLock { $0.jobs.count }
    }

    private func announceIsolation() {
        switch options.isolation {
        case .sessionOnly:
            logger.notice("bubblewrap is turned off; steps run in their own session only")
        case .automatic, .requireBubblewrap:
            if let path = sandbox.bubblewrap.path {
                logger.notice("steps run inside bubblewrap", ["bwrap.path": path])
            } else {
                logger.warning(
                    "bubblewrap is not used; steps run in their own session only",
                    ["bwrap.reason": sandbox.bubblewrap.reason])
            }
        }
    }

    /// Waits for the running jobs, cancelling them once the grace is over.
    private func drain() {
        var cancelled = false
        while true {
            let (controls, deadline) = state.withLock { state in (Array(state.jobs.values), state.deadline) }
            if controls.isEmpty {
                let finished = state.withLock { state -> Bool in
                    guard state.jobs.isEmpty else { return false }
                    state.isDrained = true
                    return true
                }
                if finished { break }
                continue
            }
            if !cancelled, let deadline, ContinuousClock.now >= deadline {
                cancelled = true
                logger.warning("shutdown grace is over; cancelling running jobs", ["jobs.running": "\(controls.count)"])
                controls.forEach { $0.stop(.shutdown) }
            }
            _ = changed.wait(timeout: .now() + .milliseconds(250))
        }
        drained.signal()
    }

    private func pollUntilStopped() {
        var backoff = RetryBackoff()
        while true {
            let (isStopping, running) = state.withLock { ($0.isStopping, $0.jobs.count) }
            if isStopping { return }
            if running >= configuration.capacity {
                _ = changed.wait(timeout: .now() + .seconds(1))
                continue
            }
            do {
                if let job = try client.poll(waitSeconds: options.pollWaitSeconds) {
                    start(job)
                }
                backoff.reset()
            } catch {
                if state.withLock({ $0.isStopping }) { return }
                let delay = backoff.nextDelay()
                logger.warning(
                    "cannot get jobs from the server; retrying",
                    ["error": "\(error)", "retry.seconds": String(format: "%.1f", delay.seconds)])
                _ = pollerWake.wait(timeout: .now() + delay.dispatchInterval)
            }
        }
    }

    private func start(_ job: RunnerJob) {
        let control = JobControl()
        let accepted = state.withLock { state -> Bool in
            guard !state.isDrained else { return false }
            state.jobs[job.id] = control
            return true
        }
        guard accepted else {
            // The runner already finished; the server requeues the job when its lease lapses.
            logger.warning("job claimed after the runner stopped; left to the server", ["job.id": "\(job.id)"])
            return
        }
        logger.info("job claimed", ["job.id": "\(job.id)", "job.attempt": "\(job.attempt)", "job.name": job.name])
        let execution = JobExecution(
            job: job, client: client, sandbox: sandbox, options: options, control: control,
            runnerName: configuration.name, workDirectory: configuration.workDirectory, logger: logger)
        let thread = Thread { [self] in
            execution.run()
            state.withLock { _ = $0.jobs.removeValue(forKey: job.id) }
            changed.signal()
        }
        thread.name = "vaultctl.runner.job.\(job.id)"
        thread.start()
    }
}
