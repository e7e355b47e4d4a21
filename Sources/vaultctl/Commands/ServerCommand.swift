import API
import ArtifactStore
import CIBridge
import Cryptography
import Database
import Dispatch
import Foundation
import HTTPServer
import Logging
import Vault

/// `vaultctl server`: runs the service over one data directory.
enum ServerCommand {
    static let spec = CommandSpec(
        "server", summary: "Run the service: the HTTP API over one data directory",
        discussion: """
            --dev is the embedded default: SQLite in ./.vault-dev, initialised and unsealed on first start,
            the unseal key kept in the data directory (for development only) and the root token printed.

            Without --dev the server starts sealed (or uninitialised: run 'vaultctl operator init') unless
            --unseal-key-file is given. A config file holds 'name = value' lines with the long option names
            (data-dir, listen, tls-cert, tls-key, unseal-key-file, log-level, max-request-bytes,
            max-value-bytes, idle-timeout, max-upload-bytes, min-free-bytes, artifact-grace,
            artifact-gc-interval); options on the command line win.
            """,
        options: [
            OptionSpec("config", value: "FILE", "Read settings from FILE"),
            OptionSpec("data-dir", value: "DIR", "Data directory (default ./vault-data, or ./.vault-dev with --dev)"),
            OptionSpec("listen", value: "HOST:PORT", "Address to listen on (default 127.0.0.1:8270)"),
            OptionSpec("tls-cert", value: "FILE", "PEM certificate chain; serves https"),
            OptionSpec("tls-key", value: "FILE", "PEM private key for --tls-cert"),
            OptionSpec("unseal-key-file", value: "FILE", "Unseal with the key in FILE at start"),
            OptionSpec("audit-file", value: "FILE", "Write the audit log to FILE (default DATA/audit.log)"),
            OptionSpec("log-level", value: "LEVEL", "trace, debug, info, notice, warning or error (default info)"),
            OptionSpec("max-request-bytes", value: "SIZE", "Largest JSON request body (default 1MiB)"),
            OptionSpec("max-value-bytes", value: "SIZE", "Largest secret value (default 64KiB)"),
            OptionSpec("idle-timeout", value: "DURATION", "Close connections idle this long (default 60s)"),
            OptionSpec("max-upload-bytes", value: "SIZE", "Largest artifact or blob upload (default 16GiB)"),
            OptionSpec("min-free-bytes", value: "SIZE", "Refuse uploads leaving less free disk (default 512MiB)"),
            OptionSpec("artifact-grace", value: "DURATION", "Keep unreferenced blobs this long (default 1h)"),
            OptionSpec("artifact-gc-interval", value: "DURATION", "Collect artifact garbage this often (default 1h)"),
            OptionSpec(
                "job-lease-ttl", value: "DURATION", "Requeue a job whose runner is silent this long (default 30s)"),
            OptionSpec("public-url", value: "URL", "The server's address as others reach it, for commit status links"),
            OptionSpec("dev", "Development mode: initialise and unseal by itself"),
            OptionSpec("dev-root-token", value: "TOKEN", "With --dev: use TOKEN as the root token on first start"),
            OptionSpec("no-runner", "With --dev: do not start the bundled runner"),
        ]
    ) { (arguments) throws(CLIError) in
        let settings = try ServerSettings(arguments)
        try run(settings)
    }

    private static func run(_ settings: ServerSettings) throws(CLIError) {
        guard let level = Logger.Level(name: settings.logLevel) else {
            throw CLIError.usage("--log-level is one of trace, debug, info, notice, warning, error")
        }
        let logger = Logger(label: "server", level: level)
        let directory = try DataDirectory(settings.resolvedDataDirectory)
        let database: Database
        let vault: Vault
        do {
            database = try Database(path: directory.file("vault.db"))
            vault = try Vault(database: database, options: VaultOptions(maxValueBytes: settings.maxValueBytes))
        } catch let error as DatabaseError {
            throw CLIError.failed("cannot open the database in \(directory.path): \(error.reason)")
        } catch {
            throw CLIError.failed("cannot open the vault in \(directory.path): \(error)")
        }
        let rootToken = settings.isDev ? try DevMode.prepare(vault, directory: directory, settings: settings) : nil
        if !settings.isDev {
            try unsealAtStart(vault, settings: settings, logger: logger)
        }

        let artifacts = try openArtifacts(database: database, directory: directory, settings: settings, logger: logger)
        let collection = CollectionSchedule(
            store: artifacts, intervalSeconds: Int(settings.artifactGCIntervalSeconds),
            logger: logger.child(label: "artifacts"))
        let ci = try openCI(database: database, vault: vault, directory: directory, settings: settings, logger: logger)
        let responder = APIResponder(
            vault: vault, logger: logger.child(label: "api"), maxRequestBytes: settings.maxRequestBytes,
            artifacts: artifacts, audit: try openAuditLog(directory: directory, settings: settings), ci: ci)
        let sweeper = LeaseSweeper(vault: vault, logger: logger.child(label: "leases"))
        let server: HTTPServer
        do {
            server = try HTTPServer(
                configuration: try configuration(settings), responder: responder, logger: logger.child(label: "http"))
            try server.start()
        } catch let error as CLIError {
            throw error
        } catch {
            throw CLIError.failed("cannot start the HTTP server on \(settings.host):\(settings.port): \(error)")
        }
        var bound = settings
        bound.port = server.port
        if let rootToken {
            DevMode.printBanner(settings: bound, directory: directory, rootToken: rootToken)
        }
        logger.notice(
            "server listening",
            ["http.address": bound.address, "data.dir": directory.path, "vault.sealed": "\(vault.status().isSealed)"])
        let runnerLogger = logger.child(label: "runner")
        let runner =
            settings.isDev && !settings.skipsBundledRunner
            ? RunnerCommands.startBundled(server: bound, directory: directory, logger: runnerLogger) : nil
        waitForTermination(logger: logger)
        logger.notice("server stopping")
        runner?.stopAndWait()
        collection.cancel()
        server.stop(graceSeconds: 10)
        sweeper.stop()
        ci.stop()
        logger.notice("server stopped")
    }

    /// Opens the CI controller over the shared database; in dev mode also keeps a reusable runner
    /// registration token in DATA/runner-registration-token.
    private static func openCI(
        database: Database, vault: Vault, directory: DataDirectory, settings: ServerSettings, logger: Logger
    ) throws(CLIError) -> CIController {
        let services = VaultCIServices(vault: vault)
        let options = CIOptions(
            jobLeaseSeconds: settings.jobLeaseSeconds, publicURL: settings.publicURL ?? settings.address)
        let ci: CIController
        do {
            ci = try CIController(
                database: database, dataDirectory: directory.path, credentials: services, secrets: services,
                options: options, logger: logger.child(label: "ci"))
            if settings.isDev, directory.read(DevMode.registrationTokenFile) == nil {
                let token = try ci.createRegistrationToken(reusable: true, ttlSeconds: nil)
                try directory.writePrivate(DevMode.registrationTokenFile, token + "\n")
            }
        } catch let error as CLIError {
            throw error
        } catch {
            throw CLIError.failed("cannot start the CI controller: \(error)")
        }
        ci.start()
        return ci
    }

    /// Opens the audit log (DATA/audit.log or --audit-file) with the installation's key in DATA/audit.key.
    private static func openAuditLog(directory: DataDirectory, settings: ServerSettings) throws(CLIError) -> AuditLog {
        let file = settings.auditFile ?? directory.file("audit.log")
        do {
            let key = try AuditLog.loadOrCreateKey(at: directory.file("audit.key"))
            return try AuditLog(path: file, key: key)
        } catch {
            throw CLIError.failed("cannot open the audit log \(file): \(error.reason)")
        }
    }

    /// Opens the artifact store and clears the temporary files of uploads a crash cut off.
    private static func openArtifacts(
        database: Database, directory: DataDirectory, settings: ServerSettings, logger: Logger
    ) throws(CLIError) -> ArtifactStore {
        let options = ArtifactStoreOptions(
            maxUploadBytes: settings.maxUploadBytes, minFreeBytes: settings.minFreeBytes,
            gracePeriodSeconds: settings.artifactGraceSeconds)
        do {
            let store = try ArtifactStore(
                database: database, dataDirectory: directory.path, options: options,
                logger: logger.child(label: "artifacts"))
            let cleared = try store.clearTemporaryFiles()
            if cleared > 0 {
                logger.notice("removed unfinished uploads", ["artifacts.temporary_files": "\(cleared)"])
            }
            return store
        } catch {
            throw CLIError.failed("cannot open the artifact store in \(directory.path): \(error.reason)")
        }
    }

    private static func unsealAtStart(_ vault: Vault, settings: ServerSettings, logger: Logger) throws(CLIError) {
        let status = vault.status()
        guard status.isInitialized else {
            logger.warning("the vault is not initialized; run 'vaultctl operator init'")
            return
        }
        guard let file = settings.unsealKeyFile else {
            logger.notice("the vault is sealed; run 'vaultctl operator unseal'")
            return
        }
        guard let text = try? String(contentsOfFile: file, encoding: .utf8),
            let key = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines))
        else {
            throw CLIError.failed("cannot read a base64 unseal key from \(file)")
        }
        do {
            try vault.unseal(key: SecretBytes(Array(key)))
        } catch {
            throw CLIError.failed("cannot unseal with the key in \(file): \(error.reason)")
        }
    }

    private static func configuration(_ settings: ServerSettings) throws(CLIError) -> HTTPServerConfiguration {
        var configuration = HTTPServerConfiguration(
            host: settings.host, port: settings.port, idleTimeoutSeconds: settings.idleTimeoutSeconds)
        if let certificate = settings.tlsCertificate, let key = settings.tlsKey {
            guard let certificatePEM = try? String(contentsOfFile: certificate, encoding: .utf8) else {
                throw CLIError.failed("cannot read the TLS certificate \(certificate)")
            }
            guard let keyPEM = try? String(contentsOfFile: key, encoding: .utf8) else {
                throw CLIError.failed("cannot read the TLS key \(key)")
            }
            configuration.tlsCertificatePEM = certificatePEM
            configuration.tlsKeyPEM = keyPEM
        }
        return configuration
    }

    /// Blocks until SIGINT or SIGTERM.
    private static func waitForTermination(logger: Logger) {
        let received = DispatchSemaphore(value: 0)
        let queue = DispatchQueue(label: "vaultctl.signals")
        var sources: [DispatchSourceSignal] = []
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { received.signal() }
            source.resume()
            sources.append(source)
        }
        received.wait()
        sources.forEach { $0.cancel() }
    }
}
