import Glibc

/// Whether bubblewrap can run steps on this host, found out once per process.
///
/// Being installed is not enough: containers often forbid the namespaces bwrap needs, so the probe
/// runs `true` inside the same namespaces and mounts a step gets.
public struct BubblewrapProbe: Sendable, Equatable {
    /// The path of a working `bwrap`, or `nil`.
    public let path: String?
    /// Why bubblewrap is not used, for the runner's one start-up line; empty when it works.
    public let reason: String

    /// Whether steps can run inside bubblewrap.
    public var isAvailable: Bool { path != nil }

    /// The result of probing this host, computed on first use and then kept.
    public static let current = BubblewrapProbe.probe()

    /// A probe result saying bubblewrap is not to be used, for configurations that turn it off.
    public static func unavailable(reason: String) -> BubblewrapProbe {
        BubblewrapProbe(path: nil, reason: reason)
    }

    /// The flags every sandboxed step gets before its own binds, shared with the probe.
    static let namespaceArguments = [
        "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--die-with-parent", "--new-session",
        "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp",
    ]

    /// Looks for `bwrap` and runs `true` inside it.
    static func probe() -> BubblewrapProbe {
        guard let path = locate() else {
            return BubblewrapProbe(path: nil, reason: "bwrap is not installed")
        }
        let arguments = [path] + namespaceArguments + ["--", "/bin/true"]
        guard let status = runSilently(path: path, arguments: arguments) else {
            return BubblewrapProbe(path: nil, reason: "bwrap could not be started")
        }
        guard status == 0 else {
            return BubblewrapProbe(path: nil, reason: "bwrap is installed but cannot create namespaces here")
        }
        return BubblewrapProbe(path: path, reason: "")
    }

    private static func locate() -> String? {
        let directories = ["/usr/bin", "/usr/local/bin", "/bin"]
        return directories.map { $0 + "/bwrap" }.first { access($0, X_OK) == 0 }
    }

    /// Runs a command with no input and output, returning its wait status.
    private static func runSilently(path: String, arguments: [String]) -> Int32? {
        let null = open("/dev/null", O_RDWR | O_CLOEXEC)
        guard null >= 0 else { return nil }
        defer { close(null) }
        let descriptors = ProcessLauncher.Descriptors(input: null, output: null, error: null)
        let environment = ["PATH=/usr/bin:/bin"]
        guard
            let pid = try? ProcessLauncher.spawn(
                path: path, arguments: arguments, environment: environment, workingDirectory: "/",
                descriptors: descriptors)
        else { return nil }
        return ProcessLauncher.waitForExit(of: pid)
    }
}
