import Foundation
import Glibc

/// Watches one running step: pumps its output, enforces its timeout and cancel, ends its processes.
///
/// One pass of the loop first decides (from the phase, the clock and what `/proc` shows) and then
/// waits in `poll` for output, the first process's exit, a cancel, or the next tick.
struct StepSupervisor {
    private enum Phase {
        case running
        case terminating(since: ContinuousClock.Instant)
        case killing(since: ContinuousClock.Instant)
        case draining(since: ContinuousClock.Instant)
        case finished
    }

    /// How long SIGKILL rounds go on before the rest is counted as left behind.
    static let killWait: Duration = .seconds(5)
    /// How long output is still read after the processes are gone, for a pipe held open elsewhere.
    static let drainWait: Duration = .seconds(2)
    /// How often the process tree is re-read while the step runs normally.
    static let trackingInterval: Duration = .milliseconds(200)

    private let step: Step
    private let isolation: StepIsolation
    private let launched: LaunchedStep
    private let cancellation: StepCancellation?
    private let clock = ContinuousClock()
    private var tracker: StepProcessTracker
    private var pump: OutputPump
    private var status: Int32?
    private var ending = StepResult.Ending.completed
    private var processesEnded = 0
    private var terminated: Set<pid_t> = []

    init(step: Step, isolation: StepIsolation, launched: LaunchedStep, cancellation: StepCancellation?) {
        self.step = step
        self.isolation = isolation
        self.launched = launched
        self.cancellation = cancellation
        self.tracker = StepProcessTracker(
            root: launched.pid, fingerprint: Self.fingerprint(of: step.environment), excluded: [1, getpid()])
        self.pump = OutputPump(standardOutput: launched.standardOutput, standardError: launched.standardError)
    }

    /// `HOME` and `TMPDIR` together mark a process as the step's; without both the rule is off.
    static func fingerprint(of environment: [String: String]) -> [[UInt8]] {
        guard let home = environment["HOME"], let temporary = environment["TMPDIR"] else { return [] }
        return [Array("HOME=\(home)".utf8), Array("TMPDIR=\(temporary)".utf8)]
    }

    mutating func run(output: (StepOutput) -> Void) throws(SandboxError) -> StepResult {
        let start = clock.now
        let deadline = step.timeout.map { start + $0 }
        var phase = Phase.running
        var nextRefresh = start
        tracker.update(with: ProcessTable.snapshot())

        while true {
            reapRootIfExited()
            let now = clock.now
            switch phase {
            case .running:
                if cancellation?.isCancelled == true {
                    ending = .cancelled
                    phase = beginTermination(now)
                } else if let deadline, now >= deadline {
                    ending = .timedOut
                    phase = beginTermination(now)
                } else if status != nil {
                    phase = beginTermination(now)
                } else if now >= nextRefresh {
                    tracker.update(with: ProcessTable.snapshot())
                    nextRefresh = now + Self.trackingInterval
                }
            case .terminating(let since):
                phase = continueTermination(now, since: since)
            case .killing(let since):
                let live = killRound()
                if status != nil && live.isEmpty || now - since >= Self.killWait { phase = .draining(since: now) }
            case .draining(let since):
                if pump.isFinished || now - since >= Self.drainWait { phase = .finished }
            case .finished:
                break
            }
            if case .finished = phase { break }
            do {
                try pump.poll(
                    timeout: pollTimeout(phase, now: now, deadline: deadline, nextRefresh: nextRefresh),
                    extra: extraDescriptors(phase), output: output)
            } catch {
                abandon()
                throw error
            }
        }
        return finish(start: start)
    }

    /// Supervision itself failed: kill everything of the step at once rather than leave it running.
    private mutating func abandon() {
        _ = killRound()
        if status == nil { status = ProcessLauncher.waitForExit(of: launched.pid) }
        _ = killRound()
    }

    /// Counts what still runs and sends it SIGTERM; a completed step with nothing left goes straight on.
    private mutating func beginTermination(_ now: ContinuousClock.Instant) -> Phase {
        let live = refresh()
        processesEnded = live.count
        if status != nil && live.isEmpty { return .draining(since: now) }
        signalTerm(live)
        return .terminating(since: now)
    }

    private mutating func continueTermination(_ now: ContinuousClock.Instant, since: ContinuousClock.Instant) -> Phase {
        let live = refresh()
        if status != nil && live.isEmpty { return .draining(since: now) }
        guard now - since >= step.gracePeriod else {
            // Processes started during the grace period get their SIGTERM too.
            signalTerm(live)
            return .terminating(since: since)
        }
        _ = killRound()
        return .killing(since: now)
    }

    /// SIGTERM to members not yet sent one. Inside bubblewrap its two own processes are spared, because
    /// their death tears down the pid namespace at once and would leave the step no grace period.
    private mutating func signalTerm(_ live: [(pid: pid_t, startTime: UInt64)]) {
        for member in live where !terminated.contains(member.pid) {
            if isolation == .bubblewrap && status == nil && isBubblewrapMonitor(member.pid) { continue }
            terminated.insert(member.pid)
            ProcessSignals.send(SIGTERM, to: member.pid, startTime: member.startTime)
        }
    }

    private func isBubblewrapMonitor(_ pid: pid_t) -> Bool {
        pid == launched.pid || ProcessTable.entry(for: pid)?.parent == launched.pid
    }

    private mutating func killRound() -> [(pid: pid_t, startTime: UInt64)] {
        let live = refresh()
        for member in live { ProcessSignals.send(SIGKILL, to: member.pid, startTime: member.startTime) }
        return live
    }

    /// Re-reads `/proc` with the environment rule on, reaps adopted zombies, and returns live members.
    private mutating func refresh() -> [(pid: pid_t, startTime: UInt64)] {
        let table = ProcessTable.snapshot()
        tracker.update(with: table, environment: ProcessTable.environment(of:))
        ProcessSignals.reapAdoptedZombies(tracker.members, table: table, except: launched.pid)
        return tracker.liveMembers(in: table)
    }

    private mutating func reapRootIfExited() {
        guard status == nil else { return }
        var raw: Int32 = 0
        if waitpid(launched.pid, &raw, WNOHANG) == launched.pid { status = raw }
    }

    private func extraDescriptors(_ phase: Phase) -> [Int32] {
        var descriptors: [Int32] = []
        // A reaped process's pidfd and a cancelled handle's pipe stay readable; polling them then would spin.
        if status == nil, let pidfd = launched.pidfd { descriptors.append(pidfd.rawValue) }
        if case .running = phase, let cancellation, cancellation.pollDescriptor >= 0 {
            descriptors.append(cancellation.pollDescriptor)
        }
        return descriptors
    }

    private func pollTimeout(
        _ phase: Phase, now: ContinuousClock.Instant, deadline: ContinuousClock.Instant?,
        nextRefresh: ContinuousClock.Instant
    ) -> Duration {
        guard case .running = phase else { return .milliseconds(50) }
        var wait = max(nextRefresh - now, .milliseconds(1))
        if launched.pidfd == nil { wait = min(wait, .milliseconds(50)) }
        if let deadline { wait = min(wait, max(deadline - now, .zero)) }
        return wait
    }

    private mutating func finish(start: ContinuousClock.Instant) -> StepResult {
        let left = refresh().count
        let raw = status ?? Self.reapInBackground(launched.pid)
        return StepResult(
            termination: Self.termination(fromWaitStatus: raw), ending: ending, processesLeft: left,
            processesEnded: processesEnded, isolation: isolation, duration: clock.now - start)
    }

    /// A first process that survived SIGKILL (stuck in the kernel) is reaped by a thread of its own,
    /// so the runner does not hang on it; the step reports it as killed.
    private static func reapInBackground(_ pid: pid_t) -> Int32 {
        Thread.detachNewThread { _ = ProcessLauncher.waitForExit(of: pid) }
        return SIGKILL
    }

    /// Decodes a `waitpid` status (the W* macros are not visible to Swift).
    static func termination(fromWaitStatus raw: Int32) -> StepResult.Termination {
        let signal = raw & 0x7f
        return signal == 0 ? .exited((raw >> 8) & 0xff) : .signalled(signal)
    }
}
