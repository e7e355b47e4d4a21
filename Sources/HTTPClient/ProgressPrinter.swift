import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Draws a ``ProgressBar`` on standard error, redrawn in place with `\r`, at most every `interval`.
///
/// By default it prints only when standard error is a terminal, so logs and pipes stay clean.
/// Pass ``report(_:)`` as the `progress` argument of ``HTTPClient``; call ``finish()`` afterwards.
public final class ProgressPrinter: Sendable {
    private struct State {
        var lastDraw: ContinuousClock.Instant?
        var lastLength = 0
        var latest: TransferProgress?
    }

    private let bar: ProgressBar
    private let interval: Duration
    private let output: (@Sendable (String) -> Void)?
    private let start = ContinuousClock.now
    private let state = Mutex(State())

    /// Creates a printer that draws on standard error if, and only if, it is a terminal.
    public convenience init(bar: ProgressBar, interval: Duration = .milliseconds(100)) {
        let isTerminal = isatty(STDERR_FILENO) == 1
        self.init(bar: bar, interval: interval, output: isTerminal ? Self.writeToStandardError : nil)
    }

    /// Creates a printer that hands each drawing (`\r`, the line, padding) to `output`; `nil` draws nothing.
    public init(bar: ProgressBar, interval: Duration, output: (@Sendable (String) -> Void)?) {
        self.bar = bar
        self.interval = interval
        self.output = output
    }

    /// Takes a progress report; redraws when `interval` has passed since the last drawing.
    @Sendable public func report(_ progress: TransferProgress) {
        guard let output else {
            return
        }
        let now = ContinuousClock.now
        let line: String? = state.withLock { state in
            state.latest = progress
            if let last = state.lastDraw, now - last < interval {
                return nil
            }
            state.lastDraw = now
            return pad(render(progress, at: now), over: &state.lastLength)
        }
        if let line {
            output("\r" + line)
        }
    }

    /// Draws the last report once more, unthrottled, and ends the line.
    public func finish() {
        guard let output else {
            return
        }
        let now = ContinuousClock.now
        let line: String? = state.withLock { state in
            guard let latest = state.latest else {
                return nil
            }
            return pad(render(latest, at: now), over: &state.lastLength)
        }
        if let line {
            output("\r" + line + "\n")
        }
    }

    private func render(_ progress: TransferProgress, at now: ContinuousClock.Instant) -> String {
        let elapsed = now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return bar.render(progress, elapsedSeconds: seconds)
    }

    /// Pads `line` with spaces so it covers a longer line drawn before it.
    private func pad(_ line: String, over lastLength: inout Int) -> String {
        let length = line.count
        defer { lastLength = length }
        return line + String(repeating: " ", count: max(0, lastLength - length))
    }

    @Sendable private static func writeToStandardError(_ text: String) {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { buffer in
                write(STDERR_FILENO, buffer.baseAddress! + offset, buffer.count - offset)
            }
            guard written > 0 else {
                return
            }
            offset += written
        }
    }
}
