/// Renders a transfer's progress as one terminal line.
///
/// `app.jar  42% [######.........]  12.3 MiB/29.1 MiB  48.2 MiB/s  ETA 0:01`
///
/// When the total is unknown the percentage, bar and ETA are left out. Rendering is a pure
/// function of its inputs; ``ProgressPrinter`` does the printing.
public struct ProgressBar: Sendable {
    /// Which half of a transfer the bar follows.
    public enum Direction: Sendable {
        /// The request body, for pushes and uploads.
        case upload
        /// The response body, for pulls and downloads.
        case download
    }

    /// The name shown first, usually the file name.
    public var label: String
    /// Which byte counts are shown.
    public var direction: Direction
    /// The number of characters between the brackets.
    public var barWidth: Int

    /// Creates a bar.
    public init(label: String, direction: Direction, barWidth: Int = 15) {
        self.label = label
        self.direction = direction
        self.barWidth = max(1, barWidth)
    }

    /// The line for `progress` after `elapsedSeconds` of transfer, without `\r` or newline.
    public func render(_ progress: TransferProgress, elapsedSeconds: Double) -> String {
        let (done, total) = counts(progress)
        let rate = elapsedSeconds > 0 && done > 0 ? Double(done) / elapsedSeconds : nil
        let speed = rate.map { Self.formatBytes($0) + "/s" } ?? "--/s"
        guard total > 0 else {
            return "\(label)  \(Self.formatBytes(Double(done)))  \(speed)"
        }
        let fraction = min(1, max(0, Double(done) / Double(total)))
        let percent = Self.leftPad(String(Int((fraction * 100).rounded(.down))), to: 3)
        let bar = self.bar(fraction)
        let sizes = "\(Self.formatBytes(Double(done)))/\(Self.formatBytes(Double(total)))"
        let eta = Self.eta(remaining: max(0, total - done), rate: rate)
        return "\(label)  \(percent)% [\(bar)]  \(sizes)  \(speed)  ETA \(eta)"
    }

    private func counts(_ progress: TransferProgress) -> (done: Int64, total: Int64) {
        switch direction {
        case .upload:
            return (progress.uploadedBytes, progress.uploadTotal)
        case .download:
            return (progress.downloadedBytes, progress.downloadTotal)
        }
    }

    private func bar(_ fraction: Double) -> String {
        let filled = min(barWidth, Int((fraction * Double(barWidth)).rounded(.down)))
        return String(repeating: "#", count: filled) + String(repeating: ".", count: barWidth - filled)
    }

    /// `512 B`, `12.3 KiB`, `1.0 MiB`, … in powers of 1024 with one decimal.
    static func formatBytes(_ bytes: Double) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"]
        var value = max(0, bytes)
        var unit = 0
        while value >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        if unit == 0 {
            return "\(Int(value.rounded(.down))) B"
        }
        return "\(oneDecimal(value)) \(units[unit])"
    }

    /// `m:ss` below an hour, `h:mm:ss` above; `--:--` while the rate is unknown.
    static func eta(remaining: Int64, rate: Double?) -> String {
        if remaining == 0 {
            return "0:00"
        }
        guard let rate, rate > 0 else {
            return "--:--"
        }
        let seconds = (Double(remaining) / rate).rounded(.up)
        guard seconds < 360_000 else {
            return "--:--"
        }
        let total = Int(seconds)
        let (hours, minutes, secs) = (total / 3600, total / 60 % 60, total % 60)
        if hours > 0 {
            return "\(hours):\(leftPad(String(minutes), to: 2, with: "0")):\(leftPad(String(secs), to: 2, with: "0"))"
        }
        return "\(minutes):\(leftPad(String(secs), to: 2, with: "0"))"
    }

    private static func oneDecimal(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }

    private static func leftPad(_ text: String, to width: Int, with pad: Character = " ") -> String {
        String(repeating: pad, count: max(0, width - text.count)) + text
    }
}
