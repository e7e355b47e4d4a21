import Foundation
import Synchronization

/// One log line before formatting.
public struct LogRecord: Sendable {
    public var date: Date
    public var level: Logger.Level
    public var label: String
    public var message: String
    public var metadata: Logger.Metadata

    /// The line as written: time, level, label, message, then sorted `key=value` pairs.
    public var formatted: String {
        var line = "\(LogRecord.timestamp(date)) \(level.name) [\(label)] \(message)"
        for key in metadata.keys.sorted() {
            line += " \(key)=\(LogRecord.quoted(metadata[key] ?? ""))"
        }
        return line
    }

    private static func timestamp(_ date: Date) -> String {
        date.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true))
    }

    private static func quoted(_ value: String) -> String {
        let plain = !value.isEmpty && value.allSatisfy { !$0.isWhitespace && $0 != "\"" && $0 != "=" }
        if plain { return value }
        let escaped = value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
        return "\"\(escaped)\""
    }
}

/// Where log lines go: standard error, or memory for tests.
public final class LogSink: Sendable {
    private enum Destination {
        case standardError
        case memory
    }

    private let destination: Destination
    private let lines = Mutex<[LogRecord]>([])

    private init(destination: Destination) {
        self.destination = destination
    }

    /// Writes each line to standard error.
    public static let standardError = LogSink(destination: .standardError)

    /// Keeps lines in memory; read them back with `records`.
    public static func memory() -> LogSink {
        LogSink(destination: .memory)
    }

    /// The lines kept by a memory sink, oldest first.
    public var records: [LogRecord] {
        lines.withLock { $0 }
    }

    func write(_ record: LogRecord) {
        switch destination {
        case .standardError:
            let data = Data((record.formatted + "\n").utf8)
            FileHandle.standardError.write(data)
        case .memory:
            lines.withLock { $0.append(record) }
        }
    }
}
