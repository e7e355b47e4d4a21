import Dispatch

/// The timer that flushes the audit log to disk now and then, so writes never wait for the disk.
///
/// Unchecked `Sendable`: the timer is set once; dispatch sources are thread-safe.
final class SyncTimer: @unchecked Sendable {
    private let timer: any DispatchSourceTimer
    private let interval: Double

    init(interval: Double) {
        self.interval = max(0.01, interval)
        timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "vault.audit-sync", qos: .utility))
    }

    func start(_ action: @escaping @Sendable () -> Void) {
        timer.schedule(deadline: .now() + interval, repeating: interval, leeway: .milliseconds(100))
        timer.setEventHandler(handler: action)
        timer.resume()
    }

    func stop() {
        timer.cancel()
    }
}
