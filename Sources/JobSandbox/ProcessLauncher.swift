import CProcessShims
import Glibc

/// Starts a process with `posix_spawn` in a new session, with chosen standard descriptors.
///
/// `posix_spawn` (a `vfork`-style clone in glibc) is the only safe way to start a process from a
/// multi-threaded Swift program; there is no `fork` here. Every descriptor above 2 is closed in the
/// child, and every signal is reset to its default, because ignored signals survive `execve`.
enum ProcessLauncher {
    /// Standard input, output and error of the child: descriptors of this process to duplicate.
    struct Descriptors {
        var input: Int32
        var output: Int32
        var error: Int32
    }

    /// Spawns `path` with `arguments` (argv[0] included) and exactly `environment`.
    static func spawn(
        path: String,
        arguments: [String],
        environment: [String],
        workingDirectory: String,
        descriptors: Descriptors
    ) throws(SandboxError) -> pid_t {
        var actions = posix_spawn_file_actions_t()
        try check(posix_spawn_file_actions_init(&actions), "posix_spawn_file_actions_init")
        defer { posix_spawn_file_actions_destroy(&actions) }
        try check(posix_spawn_file_actions_adddup2(&actions, descriptors.input, 0), "adddup2")
        try check(posix_spawn_file_actions_adddup2(&actions, descriptors.output, 1), "adddup2")
        try check(posix_spawn_file_actions_adddup2(&actions, descriptors.error, 2), "adddup2")
        try check(vault_spawn_add_chdir(&actions, workingDirectory), "addchdir")
        try check(vault_spawn_add_closefrom(&actions, 3), "addclosefrom")

        var attributes = posix_spawnattr_t()
        try check(posix_spawnattr_init(&attributes), "posix_spawnattr_init")
        defer { posix_spawnattr_destroy(&attributes) }
        try configure(&attributes)

        var pid: pid_t = 0
        let result = withCStrings(arguments) { argv in
            withCStrings(environment) { envp in
                posix_spawn(&pid, path, &actions, &attributes, argv, envp)
            }
        }
        try check(result, "posix_spawn")
        return pid
    }

    /// A new session (hence a new process group), an empty signal mask and default signal actions.
    private static func configure(_ attributes: inout posix_spawnattr_t) throws(SandboxError) {
        var mask = sigset_t()
        sigemptyset(&mask)
        try check(posix_spawnattr_setsigmask(&attributes, &mask), "setsigmask")
        var defaults = sigset_t()
        sigfillset(&defaults)
        sigdelset(&defaults, SIGKILL)
        sigdelset(&defaults, SIGSTOP)
        try check(posix_spawnattr_setsigdefault(&attributes, &defaults), "setsigdefault")
        let flags = Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF) | vault_spawn_flag_setsid()
        try check(posix_spawnattr_setflags(&attributes, flags), "setflags")
    }

    /// posix_spawn functions return the error number instead of setting errno.
    private static func check(_ result: Int32, _ call: String) throws(SandboxError) {
        guard result != 0 else { return }
        throw .system(.spawnFailed, call, errno: result)
    }

    /// Lends a NULL-terminated array of C strings; the copies are freed afterwards.
    private static func withCStrings<R>(
        _ strings: [String], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> R
    ) -> R {
        var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
        pointers.append(nil)
        defer { pointers.forEach { free($0) } }
        return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
    }

    /// Waits for `pid` to end and returns its raw wait status, retrying on interruption.
    static func waitForExit(of pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return status
    }
}
