import CIBridge
import Dispatch
import Foundation
import HTTPClient
import Logging
import Timekeeping

/// `vaultctl runner ...`: registration tokens, registering a runner, and running it.
enum RunnerCommands {
    static let tokenCreate = CommandSpec(
        "create", summary: "Create a one-time runner registration token (admin)"
    ) { (arguments) throws(CLIError) in
        let result = try APIClient(arguments.globals).call("POST", "/v1/runners/tokens", body: [:])
        if arguments.globals.format == .json {
            Output.json(result)
        } else {
            Terminal.write(Output.text(result["token"]) + "\n")
        }
    }

    static let token = CommandSpec(
        group: "token", summary: "Runner registration tokens", subcommands: [tokenCreate])

    static let register = CommandSpec(
        "register", summary: "Register this machine as a runner and write its configuration file (0600)",
        discussion: """
            Trades a registration token (from 'vaultctl runner token create', or DATA/runner-registration-token
            in dev mode) for the runner's own token, and writes it with the server's address to the
            configuration file, by default ~/.vaultctl/runner.json. Then start the runner with 'vaultctl runner run'.
            """,
        options: [
            OptionSpec(
                "url", value: "URL", "The server's address (default --addr, VAULTCTL_ADDR or http://127.0.0.1:8270)"),
            OptionSpec("token", value: "TOKEN", "The registration token (required)"),
            OptionSpec("name", value: "NAME", "The runner's name (default the host name)"),
            OptionSpec("labels", value: "a,b", "Labels jobs select with runs-on (default linux)"),
            OptionSpec("capacity", value: "N", "Jobs run at once (default 1)"),
            OptionSpec("config", value: "FILE", "Where to write the configuration (default ~/.vaultctl/runner.json)"),
            OptionSpec("work-dir", value: "DIR", "Where job workspaces go (default ~/.vaultctl/runner-work)"),
        ]
    ) { (arguments) throws(CLIError) in
        guard let registrationToken = arguments.value("token") else {
            throw CLIError(.usage, "--token TOKEN (a registration token) is required", usage: arguments.usage)
        }
        let url = arguments.value("url") ?? APIClient(arguments.globals).address
        let labels = (arguments.value("labels") ?? "linux").split(separator: ",").map {
            $0.trimmingCharacters(in: .whitespaces)
        }.filter { !$0.isEmpty }
        let capacity = Int(try arguments.integer("capacity", in: 1...64) ?? 1)
        let name = arguments.value("name") ?? ProcessInfo.processInfo.hostName
        let path = arguments.value("config") ?? RunnerConfiguration.defaultPath
        let configuration = try registerRunner(
            url: url, registrationToken: registrationToken, name: name, labels: labels, capacity: capacity,
            workDirectory: absolute(arguments.value("work-dir") ?? RunnerConfiguration.defaultWorkDirectory),
            http: HTTPClient(tlsCAFile: arguments.globals.caCertificate, userAgent: "vaultctl-runner"))
        try call { () throws(CIError) in try configuration.save(to: path) }
        if arguments.globals.format == .json {
            Output.json(["id": configuration.runnerID, "name": name, "config": path])
        } else {
            Terminal.write("registered runner \(name) (\(configuration.runnerID)); configuration written to \(path)\n")
        }
    }

    static let run = CommandSpec(
        "run", summary: "Run the registered runner: poll for jobs and run them until SIGTERM",
        discussion: """
            On SIGTERM or SIGINT the runner takes no more jobs and lets running ones finish; after the
            shutdown grace they are cancelled, cleaned up and reported. A second signal cancels them at once.
            --heartbeat-interval should be a third of the server's --job-lease-ttl (default 30s).
            """,
        options: [
            OptionSpec(
                "config", value: "FILE", "The configuration from 'runner register' (default ~/.vaultctl/runner.json)"),
            OptionSpec("work-dir", value: "DIR", "Where job workspaces go (overrides the configuration)"),
            OptionSpec("heartbeat-interval", value: "DURATION", "How often running jobs are heartbeated (default 10s)"),
            OptionSpec("shutdown-grace", value: "DURATION", "How long jobs may finish after SIGTERM (default 60s)"),
            OptionSpec("isolation", value: "MODE", "auto (bubblewrap when it works), bwrap or session (default auto)"),
            OptionSpec("log-level", value: "LEVEL", "trace, debug, info, notice, warning or error (default info)"),
        ]
    ) { (arguments) throws(CLIError) in
        let path = arguments.value("config") ?? RunnerConfiguration.defaultPath
        var configuration = try call { () throws(CIError) in try RunnerConfiguration.load(from: path) }
        if let directory = arguments.value("work-dir") { configuration.workDirectory = absolute(directory) }
        var options = RunnerOptions()
        options.heartbeatInterval = try duration(arguments, "heartbeat-interval") ?? options.heartbeatInterval
        options.shutdownGrace = try duration(arguments, "shutdown-grace") ?? options.shutdownGrace
        switch arguments.value("isolation") ?? "auto" {
        case "auto": options.isolation = .automatic
        case "bwrap": options.isolation = .requireBubblewrap
        case "session": options.isolation = .sessionOnly
        default: throw CLIError(.usage, "--isolation is auto, bwrap or session", usage: arguments.usage)
        }
        options.hiddenPaths = hiddenPaths(configurationFile: path)
        guard let level = Logger.Level(name: arguments.value("log-level") ?? "info") else {
            throw CLIError(
                .usage, "--log-level is one of trace, debug, info, notice, warning, error", usage: arguments.usage)
        }
        let runner = Runner(
            configuration: configuration, options: options, logger: Logger(label: "runner", level: level),
            http: HTTPClient(tlsCAFile: arguments.globals.caCertificate, userAgent: "vaultctl-runner"))
        let signals = stopOnSignals(runner)
        runner.run()
        signals.forEach { $0.cancel() }
    }

    static let spec = CommandSpec(
        group: "runner", summary: "Register and run CI runners", subcommands: [register, run, token])

    /// Starts the runner bundled with `server --dev`: registered once with the dev registration token
    /// (its configuration kept in DATA/runner.json), labels `linux` and `dev`, workspaces in DATA/runner,
    /// talking to the server over loopback. Returns nil, after logging why, when it cannot start; the
    /// server runs on without it.
    static func startBundled(server settings: ServerSettings, directory: DataDirectory, logger: Logger) -> Runner? {
        let host = ["0.0.0.0", "::", ""].contains(settings.host) ? "127.0.0.1" : settings.host
        let shownHost = host.contains(":") ? "[\(host)]" : host
        let address = "\(settings.isTLS ? "https" : "http")://\(shownHost):\(settings.port)"
        let dataDirectory = directory.path
        let registrationToken = directory.read(DevMode.registrationTokenFile)
        let jobLeaseSeconds = settings.jobLeaseSeconds
        let tlsCAFile = settings.tlsCertificate
        let path = dataDirectory + "/runner.json"
        let http = HTTPClient(tlsCAFile: tlsCAFile, userAgent: "vaultctl-runner")
        var configuration: RunnerConfiguration
        do {
            if let existing = try? RunnerConfiguration.load(from: path) {
                configuration = existing
            } else {
                guard let registrationToken else {
                    logger.error("bundled runner not started: no runner registration token in the data directory")
                    return nil
                }
                configuration = try registerRunner(
                    url: address, registrationToken: registrationToken, name: "dev-runner", labels: ["linux", "dev"],
                    capacity: 2, workDirectory: dataDirectory + "/runner", http: http)
            }
            configuration.url = address
            configuration.workDirectory = dataDirectory + "/runner"
            try call { () throws(CIError) in try configuration.save(to: path) }
        } catch {
            logger.error("bundled runner not started", ["error": error.message])
            return nil
        }
        var options = RunnerOptions()
        options.hiddenPaths = hiddenPaths(configurationFile: path) + [dataDirectory]
        options.heartbeatInterval = .seconds(max(1, jobLeaseSeconds / 3))
        options.shutdownGrace = .seconds(10)
        let runner = Runner(configuration: configuration, options: options, logger: logger, http: http)
        runner.start()
        return runner
    }

    private static func registerRunner(
        url: String, registrationToken: String, name: String, labels: [String], capacity: Int, workDirectory: String,
        http: HTTPClient
    ) throws(CLIError) -> RunnerConfiguration {
        let registered = try call { () throws(CIError) in
            try RunnerClient.register(
                url: url, registrationToken: registrationToken, name: name, labels: labels, capacity: capacity,
                http: http)
        }
        return RunnerConfiguration(
            url: url, runnerID: registered.id, token: registered.token, name: name, labels: labels, capacity: capacity,
            workDirectory: workDirectory)
    }

    /// SIGTERM and SIGINT stop the runner; the sources must be kept alive while it runs.
    private static func stopOnSignals(_ runner: Runner) -> [DispatchSourceSignal] {
        let queue = DispatchQueue(label: "vaultctl.runner.signals")
        return [SIGTERM, SIGINT].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { runner.stop() }
            source.resume()
            return source
        }
    }

    private static func duration(_ arguments: ParsedArguments, _ name: String) throws(CLIError) -> Duration? {
        guard let text = arguments.value(name) else { return nil }
        guard let seconds = DurationParsing.seconds(from: text), seconds > 0 else {
            throw CLIError(.usage, "--\(name) takes a duration such as 10s or 2m", usage: arguments.usage)
        }
        return .seconds(seconds)
    }

    private static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    }

    /// Maps a runner error to the CLI's message and exit code.
    private static func call<T>(_ body: () throws(CIError) -> T) throws(CLIError) -> T {
        do {
            return try body()
        } catch {
            switch error.code {
            case .unauthenticated: throw CLIError(.permissionDenied, error.reason)
            case .notFound: throw CLIError(.notFound, error.reason)
            default: throw CLIError.failed(error.reason)
            }
        }
    }

    /// What steps must not see: the directory of the runner's configuration (its token) and the
    /// home directory of the user running it (`~/.vaultctl/token` and the like).
    private static func hiddenPaths(configurationFile: String) -> [String] {
        let configurationDirectory = URL(fileURLWithPath: absolute(configurationFile)).deletingLastPathComponent().path
        let home = FileManager.default.homeDirectoryForCurrentUser.path
        return Array(Set([configurationDirectory, home].filter { $0 != "/" })).sorted()
    }
}
