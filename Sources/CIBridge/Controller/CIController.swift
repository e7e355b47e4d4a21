import Database
import Dispatch
import Foundation
import Logging
import Synchronization
import Timekeeping

/// The CI controller: repositories, webhooks, pipelines, the durable job queue, runners and commit
/// statuses, over the shared SQLite database.
///
/// Calls block on SQLite and run on the HTTP server's worker threads. Background work (compiling
/// pipelines, sweeping lapsed claims, posting statuses) runs on its own dispatch queues.
public final class CIController: Sendable {
    let database: Database
    public let options: CIOptions
    let credentials: any JobCredentialIssuer
    let secrets: any RepositorySecretStore
    let logger: Logger
    let clock: any WallClock
    let compiler = PipelineCompiler()
    let mirrors: GitMirrors
    let logDirectory: String
    let waiters = JobWaiters()
    let compileQueue = DispatchQueue(label: "vaultctl.ci.compile")
    let timers = Mutex<[RepeatingTimer]>([])
    let statusReporter: StatusReporter

    /// Opens the controller over `database`, keeping git mirrors and job logs under `dataDirectory`.
    public init(
        database: Database, dataDirectory: String, credentials: any JobCredentialIssuer,
        secrets: any RepositorySecretStore, options: CIOptions = CIOptions(), logger: Logger,
        clock: any WallClock = SystemClock()
    ) throws(CIError) {
        do {
            try database.migrate(CISchema.namespace, CISchema.migrations)
            try FileManager.default.createDirectory(
                atPath: dataDirectory + "/logs", withIntermediateDirectories: true)
        } catch {
            throw CIError(.storage, "cannot prepare the CI tables: \(error)")
        }
        self.database = database
        self.options = options
        self.credentials = credentials
        self.secrets = secrets
        self.logger = logger
        self.clock = clock
        self.mirrors = GitMirrors(directory: dataDirectory + "/git")
        self.logDirectory = dataDirectory + "/logs"
        self.statusReporter = StatusReporter(database: database, secrets: secrets, logger: logger, clock: clock)
    }

    /// Starts the background work: pipelines left pending by a restart are compiled, the sweeper
    /// requeues lapsed claims, and the status reporter drains the outbox.
    public func start() {
        compileQueue.async { self.compilePendingPipelines() }
        schedule(every: options.sweepIntervalSeconds) { [self] in sweep() }
        statusReporter.start()
    }

    /// Stops the background work and answers every waiting long poll with "no job".
    public func stop() {
        timers.withLock { timers in
            timers.forEach { $0.cancel() }
            timers.removeAll()
        }
        statusReporter.stop()
        waiters.cancelAll()
    }

    /// The current time in whole seconds since 1970.
    var now: Int64 {
        Int64(clock.now().timeIntervalSince1970.rounded(.down))
    }

    private func schedule(every seconds: Double, _ work: @escaping @Sendable () -> Void) {
        let timer = RepeatingTimer(label: "vaultctl.ci.sweeper", interval: seconds, work: work)
        timers.withLock { $0.append(timer) }
    }

    /// Database work with errors mapped to `CIError`.
    @discardableResult
    func write<T: Sendable>(_ body: (Connection) throws -> T) throws(CIError) -> T {
        do {
            return try database.write(body)
        } catch {
            throw CIController.mapped(error)
        }
    }

    func read<T: Sendable>(_ body: (Connection) throws -> T) throws(CIError) -> T {
        do {
            return try database.read(body)
        } catch {
            throw CIController.mapped(error)
        }
    }

    static func mapped(_ error: any Error) -> CIError {
        switch error {
        case let error as CIError: error
        case let error as DatabaseError: CIError(.storage, "storage failed: \(error.reason)")
        default: CIError(.storage, "storage failed")
        }
    }
}

extension JSONEncoder {
    /// Encodes `value` as compact JSON text with sorted keys.
    static func text<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "null"
    }
}

extension JSONDecoder {
    /// Decodes `text` written by `JSONEncoder.text`.
    static func value<T: Decodable>(_ type: T.Type, from text: String?) -> T? {
        guard let text else { return nil }
        return try? JSONDecoder().decode(type, from: Data(text.utf8))
    }
}
