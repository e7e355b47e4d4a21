import Foundation
import Synchronization

/// A small structured logger: a label, a level, a constant message and metadata.
///
/// Messages are constant sentences; values travel in metadata under dotted keys
/// (`job.id`, `lease.id`). Never pass a secret value, a token or a request body.
public struct Logger: Sendable {
    /// How severe a log line is; lines below the logger's level are dropped.
    public enum Level: Int, Sendable, Comparable, CaseIterable {
        case trace, debug, info, notice, warning, error

        /// The level's lower-case name, as printed and as parsed from `--log-level`.
        public var name: String {
            switch self {
            case .trace: "trace"
            case .debug: "debug"
            case .info: "info"
            case .notice: "notice"
            case .warning: "warning"
            case .error: "error"
            }
        }

        /// Parses a level name such as `info`.
        public init?(name: String) {
            guard let level = Level.allCases.first(where: { $0.name == name.lowercased() }) else { return nil }
            self = level
        }

        public static func < (lhs: Level, rhs: Level) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// Metadata values are strings; callers format numbers themselves.
    public typealias Metadata = [String: String]

    /// The component the lines come from, such as `http` or `vault`.
    public let label: String
    /// The lowest level that is written.
    public var level: Level
    private let sink: LogSink

    /// Creates a logger writing to `sink` (standard error by default).
    public init(label: String, level: Level = .info, sink: LogSink = .standardError) {
        self.label = label
        self.level = level
        self.sink = sink
    }

    /// A logger for another component that shares this one's level and sink.
    public func child(label: String) -> Logger {
        Logger(label: label, level: level, sink: sink)
    }

    /// Writes one line when `level` is at or above the logger's level.
    public func log(_ level: Level, _ message: StaticString, _ metadata: @autoclosure () -> Metadata = [:]) {
        guard level >= self.level else { return }
        sink.write(LogRecord(date: Date(), level: level, label: label, message: "\(message)", metadata: metadata()))
    }

    public func trace(_ message: StaticString, _ metadata: @autoclosure () -> Metadata = [:]) {
        log(.trace, message, metadata())
    }

    public func debug(_ message: StaticString, _ metadata: @autoclosure () -> Metadata = [:]) {
        log(.debug, message, metadata())
    }

    public func info(_ message: StaticString, _ metadata: @autoclosure () -> Metadata = [:]) {
        log(.info, message, metadata())
    }

    public func notice(_ message: StaticString, _ metadata: @autoclosure () -> Metadata = [:]) {
        log(.notice, message, metadata())
    }

    public func warning(_ message: StaticString, _ metadata: @autoclosure () -> Metadata = [:]) {
        log(.warning, message, metadata())
    }

    public func error(_ message: StaticString, _ metadata: @autoclosure () -> Metadata = [:]) {
        log(.error, message, metadata())
    }
}
