import Dispatch
import Foundation
import Logging
import Synchronization

/// Ships a job's (already masked) log to the server in chunks with offsets, from a thread of its own,
/// several times a second while there is output.
///
/// Bytes are dropped only once the server has confirmed them, so a failed append is simply sent again.
/// The claim does not say how long the job's log already is (an earlier attempt may have written to
/// it), so the first append goes to an offset far past any real log: the server refuses it with 416
/// and its size, and shipping resumes from there. Any later 416 resynchronises the same way. A 409
/// means the attempt is gone: the job is stopped and nothing more is sent.
final class JobLogStream: Sendable {
    /// How often pending output is shipped; the design asks for at least once a second.
    static let interval: Duration = .milliseconds(250)
    /// The largest chunk one append carries (the server takes up to 1 MiB).
    static let chunkLimit = 256 * 1024
    /// Bytes kept while the server is unreachable; beyond it the oldest are dropped and the gap noted.
    static let bufferLimit = 64 << 20
    /// An offset no real log reaches, to learn the server's size from its 416.
    static let probeOffset: Int64 = 1 << 60
    /// How long shipping goes on after `finish` while the server cannot be reached.
    static let closingLimit: Duration = .seconds(60)

    private struct State {
        var pending: [UInt8] = []
        var offset = JobLogStream.probeOffset
        var isClosing = false
        var isStale = false
        var dropped = 0
        /// Whether the last byte queued ends a line, so the runner's own lines start on a line of their own.
        var isAtLineStart = true
    }

    private let client: RunnerClient
    private let jobID: Int64
    private let epoch: Int64
    private let control: JobControl
    private let logger: Logger
    private let state = Mutex(State())
    private let wake = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)

    init(client: RunnerClient, job: RunnerJob, control: JobControl, logger: Logger) {
        self.client = client
        self.jobID = job.id
        self.epoch = job.epoch
        self.control = control
        self.logger = logger
    }

    /// Starts the shipping thread.
    func start() {
        let thread = Thread { [self] in shipUntilClosed() }
        thread.name = "vaultctl.runner.log.\(jobID)"
        thread.start()
    }

    /// Queues bytes for the server.
    func append(_ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        state.withLock { state in
            guard !state.isClosing, !state.isStale else { return }
            state.pending.append(contentsOf: bytes)
            state.isAtLineStart = bytes.last == UInt8(ascii: "\n")
            let excess = state.pending.count - JobLogStream.bufferLimit
            if excess > 0 {
                state.pending.removeFirst(excess)
                state.dropped += excess
            }
        }
    }

    /// Queues a line written by the runner itself.
    func line(_ text: String) {
        let startsLine = state.withLock { $0.isAtLineStart }
        append(Array(((startsLine ? "" : "\n") + text + "\n").utf8))
    }

    /// Ships what is left and stops the thread; returns whether everything reached the server.
    @discardableResult
    func finish(within limit: Duration) -> Bool {
        state.withLock { $0.isClosing = true }
        wake.signal()
        if finished.wait(timeout: .now() + limit.dispatchInterval) == .timedOut {
            logger.warning("job log could not be fully sent", ["job.id": "\(jobID)"])
            return false
        }
        return state.withLock { $0.pending.isEmpty && !$0.isStale }
    }

    private func shipUntilClosed() {
        var backoff = RetryBackoff(base: .milliseconds(250), ceiling: .seconds(5))
        var retryAt = ContinuousClock.now
        var closedAt: ContinuousClock.Instant?
        while true {
            let (isClosing, isStale) = state.withLock { ($0.isClosing, $0.isStale) }
            if isClosing, closedAt == nil { closedAt = .now }
            if isStale { break }
            if let closedAt, ContinuousClock.now - closedAt > JobLogStream.closingLimit { break }
            if ContinuousClock.now >= retryAt {
                if shipPending() {
                    backoff.reset()
                } else {
                    retryAt = .now + backoff.nextDelay()
                }
            }
            // Checked after shipping too, so that `finish` does not wait out another interval.
            if isClosing, state.withLock({ $0.pending.isEmpty }) { break }
            _ = wake.wait(timeout: .now() + JobLogStream.interval.dispatchInterval)
        }
        finished.signal()
    }

    /// Sends chunks until nothing is pending; false when the server could not take them now.
    private func shipPending() -> Bool {
        while true {
            let next = state.withLock { state -> (offset: Int64, chunk: [UInt8], dropped: Int)? in
                guard !state.pending.isEmpty, !state.isStale else { return nil }
                let dropped = state.dropped
                state.dropped = 0
                return (state.offset, Array(state.pending.prefix(JobLogStream.chunkLimit)), dropped)
            }
            guard let next else { return true }
            if next.dropped > 0 {
                logger.warning("job log output dropped", ["job.id": "\(jobID)", "log.dropped": "\(next.dropped)"])
            }
            let answer: RunnerClient.LogAppend
            do {
                answer = try client.appendLog(jobID: jobID, epoch: epoch, offset: next.offset, bytes: next.chunk)
            } catch {
                if error.code == .staleEpoch {
                    state.withLock { $0.isStale = true }
                    control.stop(.stale)
                    logger.warning("job attempt is no longer current", ["job.id": "\(jobID)"])
                } else {
                    logger.debug("job log append failed", ["job.id": "\(jobID)", "error": "\(error)"])
                }
                return false
            }
            state.withLock { state in
                switch answer {
                case .stored(let size) where size == next.offset + Int64(next.chunk.count):
                    state.pending.removeFirst(next.chunk.count)
                    state.offset = size
                case .stored(let size):
                    // The server held more than this attempt knew of: send the same bytes after it.
                    state.offset = size
                case .gap(let serverOffset):
                    state.offset = serverOffset
                }
            }
        }
    }
}
