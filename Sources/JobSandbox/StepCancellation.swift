import CProcessShims
import Glibc
import Synchronization

/// A handle that cancels a running step from any thread.
///
/// Cancelling before the step starts makes it end at once, still through the normal cleanup.
/// One handle cancels one step; make a new one per step.
public final class StepCancellation: Sendable {
    private let state = Mutex<Bool>(false)
    // The supervisor polls the read end; cancel() writes one byte to wake it immediately.
    private let wakeRead: Int32
    private let wakeWrite: Int32

    public init() {
        var ends: [Int32] = [-1, -1]
        let result = ends.withUnsafeMutableBufferPointer { vault_pipe_cloexec($0.baseAddress, 1) }
        wakeRead = result == 0 ? ends[0] : -1
        wakeWrite = result == 0 ? ends[1] : -1
    }

    deinit {
        if wakeRead >= 0 { close(wakeRead) }
        if wakeWrite >= 0 { close(wakeWrite) }
    }

    /// Asks the step to end: SIGTERM to all its processes, SIGKILL after the grace period.
    public func cancel() {
        let isFirst = state.withLock { cancelled in
            defer { cancelled = true }
            return !cancelled
        }
        guard isFirst, wakeWrite >= 0 else { return }
        var byte: UInt8 = 1
        _ = Glibc.write(wakeWrite, &byte, 1)
    }

    /// Whether `cancel()` was called.
    public var isCancelled: Bool { state.withLock { $0 } }

    /// The descriptor the supervisor polls; readable once cancelled. -1 if no pipe could be made.
    var pollDescriptor: Int32 { wakeRead }
}
