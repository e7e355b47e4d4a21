import Dispatch

/// A dispatch timer that runs `work` every `interval` seconds on its own queue until cancelled.
///
/// Unchecked `Sendable`: the timer source is created once and only cancelled afterwards, which
/// dispatch allows from any thread.
final class RepeatingTimer: @unchecked Sendable {
    private let source: any DispatchSourceTimer

    init(label: String, interval: Double, work: @escaping @Sendable () -> Void) {
        source = DispatchSource.makeTimerSource(queue: DispatchQueue(label: label))
        source.schedule(deadline: .now() + interval, repeating: interval)
        source.setEventHandler(handler: work)
        source.resume()
    }

    func cancel() {
        source.cancel()
    }
}
