import Foundation
import Timekeeping

/// How `vaultctl server` runs: from a config file, overridden by flags.
struct ServerSettings {
    var dataDirectory: String?
    var host = "127.0.0.1"
    var port: UInt16 = 8270
    var tlsCertificate: String?
    var tlsKey: String?
    var unsealKeyFile: String?
    /// Where the audit log goes; DATA/audit.log when nil.
    var auditFile: String?
    var isDev = false
    var devRootToken: String?
    /// With --dev: whether the bundled runner is left out (`--no-runner`).
    var skipsBundledRunner = false
    var logLevel = "info"
    var maxRequestBytes = 1 << 20
    var maxValueBytes = 64 * 1024
    var idleTimeoutSeconds = 60
    var maxUploadBytes: Int64 = 16 << 30
    var minFreeBytes: Int64 = 512 << 20
    var artifactGraceSeconds: Int64 = 3_600
    var artifactGCIntervalSeconds: Int64 = 3_600
    /// How long a runner's claim on a job lasts without a heartbeat.
    var jobLeaseSeconds: Int64 = 30
    /// The address people and providers use to reach the server (commit status links).
    var publicURL: String?

    /// The option names a config file may use, as `name = value` lines.
    static let fileKeys: Set<String> = [
        "data-dir", "listen", "tls-cert", "tls-key", "unseal-key-file", "audit-file", "log-level", "max-request-bytes",
        "max-value-bytes", "idle-timeout", "max-upload-bytes", "min-free-bytes", "artifact-grace",
        "artifact-gc-interval", "job-lease-ttl", "public-url",
    ]

    /// Builds the settings from `--config` (if any) and then the command line.
    init(_ arguments: ParsedArguments) throws(CLIError) {
        var values: [String: String] = [:]
        if let file = arguments.value("config") {
            values = try ServerSettings.readConfig(file)
        }
        for key in ServerSettings.fileKeys {
            if let value = arguments.value(key) { values[key] = value }
        }
        isDev = arguments.flag("dev")
        devRootToken = arguments.value("dev-root-token")
        skipsBundledRunner = arguments.flag("no-runner")
        if skipsBundledRunner, !isDev {
            throw CLIError(.usage, "--no-runner only goes with --dev", usage: arguments.usage)
        }
        if devRootToken != nil, !isDev {
            throw CLIError(.usage, "--dev-root-token only goes with --dev", usage: arguments.usage)
        }
        try apply(values, usage: arguments.usage)
    }

    /// The data directory: `./.vault-dev` in dev mode, `./vault-data` otherwise, unless given.
    var resolvedDataDirectory: String {
        dataDirectory ?? (isDev ? ".vault-dev" : "vault-data")
    }

    var isTLS: Bool { tlsCertificate != nil }

    var address: String {
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return "\(isTLS ? "https" : "http")://\(shownHost):\(port)"
    }

    private mutating func apply(_ values: [String: String], usage: String) throws(CLIError) {
        dataDirectory = values["data-dir"]
        tlsCertificate = values["tls-cert"]
        tlsKey = values["tls-key"]
        unsealKeyFile = values["unseal-key-file"]
        auditFile = values["audit-file"]
        guard (tlsCertificate == nil) == (tlsKey == nil) else {
            throw CLIError(.usage, "--tls-cert and --tls-key go together", usage: usage)
        }
        if let listen = values["listen"] {
            guard let parsed = ServerSettings.parseListen(listen) else {
                throw CLIError(.usage, "--listen takes HOST:PORT, such as 127.0.0.1:8270", usage: usage)
            }
            (host, port) = parsed
        }
        if let level = values["log-level"] { logLevel = level }
        publicURL = values["public-url"]
        maxRequestBytes = try ServerSettings.size(
            values["max-request-bytes"], default: maxRequestBytes, name: "max-request-bytes")
        maxValueBytes = try ServerSettings.size(
            values["max-value-bytes"], default: maxValueBytes, name: "max-value-bytes")
        maxUploadBytes = Int64(
            try ServerSettings.size(values["max-upload-bytes"], default: Int(maxUploadBytes), name: "max-upload-bytes"))
        minFreeBytes = Int64(
            try ServerSettings.size(values["min-free-bytes"], default: Int(minFreeBytes), name: "min-free-bytes"))
        let durations: [(String, WritableKeyPath<ServerSettings, Int64>)] = [
            ("artifact-grace", \.artifactGraceSeconds), ("artifact-gc-interval", \.artifactGCIntervalSeconds),
            ("job-lease-ttl", \.jobLeaseSeconds),
        ]
        for (key, target) in durations {
            guard let text = values[key] else { continue }
            guard let seconds = DurationParsing.seconds(from: text) else {
                throw CLIError(.usage, "--\(key) takes a duration such as 30m, 1h or 7d", usage: usage)
            }
            self[keyPath: target] = seconds
        }
        if let idle = values["idle-timeout"] {
            guard let seconds = DurationParsing.seconds(from: idle), seconds <= 86_400 else {
                throw CLIError(.usage, "--idle-timeout takes a duration such as 60s or 5m", usage: usage)
            }
            idleTimeoutSeconds = Int(seconds)
        }
    }

    /// Parses `HOST:PORT`, `[IPv6]:PORT` or `:PORT`.
    static func parseListen(_ text: String) -> (String, UInt16)? {
        guard let colon = text.lastIndex(of: ":"), let port = UInt16(text[text.index(after: colon)...]) else {
            return nil
        }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if host.isEmpty { host = "0.0.0.0" }
        return (host, port)
    }

    private static func size(_ text: String?, default value: Int, name: String) throws(CLIError) -> Int {
        guard let text else { return value }
        let units: [(String, Int)] = [("KiB", 1 << 10), ("MiB", 1 << 20), ("GiB", 1 << 30), ("", 1)]
        for (suffix, factor) in units where text.hasSuffix(suffix) {
            if let number = Int(text.dropLast(suffix.count)), number > 0, number <= (1 << 40) / factor {
                return number * factor
            }
        }
        throw CLIError.usage("--\(name) takes a size such as 65536, 64KiB or 1MiB")
    }

    private static func readConfig(_ path: String) throws(CLIError) -> [String: String] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw CLIError.failed("cannot read the config file \(path)")
        }
        var values: [String: String] = [:]
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let parts = trimmed.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, fileKeys.contains(parts[0]) else {
                let known = fileKeys.sorted().joined(separator: ", ")
                throw CLIError.usage("\(path):\(number + 1): expected 'name = value' with a name among: \(known)")
            }
            values[parts[0]] = parts[1]
        }
        return values
    }
}
