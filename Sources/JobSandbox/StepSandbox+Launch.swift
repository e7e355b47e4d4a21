import CProcessShims
import Glibc

extension StepSandbox {
    /// The first process of every step: a shell that waits for one line on standard input, then
    /// `exec`s the step with standard input from /dev/null. The runner sets the resource limits on it
    /// in between, so no process of the step ever runs without them.
    /// The gate also drops the `PWD` dash exports on its own, unless the caller passed one.
    static func gateArguments(keepingWorkingDirectoryVariable: Bool) -> [String] {
        let unset = keepingWorkingDirectoryVariable ? "" : "unset PWD; "
        return ["/bin/sh", "-c", "read -r _ || exit 125; \(unset)exec \"$@\" </dev/null", "vault-step"]
    }

    /// Spawns the gate, applies the limits, and opens it.
    func launch(_ step: Step, isolation: StepIsolation) throws(SandboxError) -> LaunchedStep {
        let gate = try FileDescriptor.makePipe()
        let standardOutput = try FileDescriptor.makePipe()
        let standardError = try FileDescriptor.makePipe()
        let gateArguments = Self.gateArguments(keepingWorkingDirectoryVariable: step.environment["PWD"] != nil)
        let arguments = gateArguments + commandArguments(for: step, isolation: isolation)
        let environment = step.environment.map { "\($0.key)=\($0.value)" }.sorted()
        let descriptors = ProcessLauncher.Descriptors(
            input: gate.read.rawValue, output: standardOutput.write.rawValue, error: standardError.write.rawValue)
        let pid = try ProcessLauncher.spawn(
            path: "/bin/sh", arguments: arguments, environment: environment,
            workingDirectory: step.workingDirectory ?? step.workspace, descriptors: descriptors)
        // Only the child may hold the write ends, or reading would never see end of file.
        gate.read.close()
        standardOutput.write.close()
        standardError.write.close()

        do {
            try Self.applyLimits(step.limits, to: pid)
        } catch {
            kill(pid, SIGKILL)
            _ = ProcessLauncher.waitForExit(of: pid)
            throw error
        }
        gate.write.write([UInt8(ascii: "\n")])
        gate.write.close()

        let pidfd = vault_pidfd_open(pid)
        return LaunchedStep(
            pid: pid, standardOutput: standardOutput.read, standardError: standardError.read,
            pidfd: pidfd >= 0 ? FileDescriptor(pidfd) : nil)
    }

    /// The step's own argument vector, inside bubblewrap when the step is isolated.
    func commandArguments(for step: Step, isolation: StepIsolation) -> [String] {
        let command = step.command.argumentVector
        guard isolation == .bubblewrap, let path = bubblewrap.path else { return command }
        var arguments = [path] + BubblewrapProbe.namespaceArguments
        for hidden in step.hiddenPaths where hidden.hasPrefix("/") && hidden != "/" {
            arguments += ["--tmpfs", hidden]
        }
        // Binds come after `--tmpfs /tmp` and the hidden paths, so a workspace under either stays
        // visible and writable.
        for writable in [step.workspace] + step.extraWritablePaths {
            arguments += ["--bind", writable, writable]
        }
        arguments += ["--chdir", step.workingDirectory ?? step.workspace, "--"]
        return arguments + command
    }

    /// Sets soft and hard limits on the gate process; they pass on through `exec` and `fork`.
    static func applyLimits(_ limits: ResourceLimits, to pid: pid_t) throws(SandboxError) {
        let wanted: [(resource: Int32, value: UInt64?, name: String)] = [
            (Int32(RLIMIT_NOFILE.rawValue), limits.openFiles, "RLIMIT_NOFILE"),
            (vault_resource_processes(), limits.processes, "RLIMIT_NPROC"),
            (Int32(RLIMIT_CORE.rawValue), limits.coreFileSize, "RLIMIT_CORE"),
            (Int32(RLIMIT_FSIZE.rawValue), limits.fileSize, "RLIMIT_FSIZE"),
        ]
        for (code, value, name) in wanted {
            guard let value else { continue }
            var hard: UInt64 = 0
            guard vault_get_hard_limit(code, &hard) == 0 else {
                throw .system(.limitsFailed, "prlimit(\(name))", errno: errno)
            }
            let limit = min(value, hard)
            guard vault_set_process_limit(pid, code, limit, limit) == 0 else {
                throw .system(.limitsFailed, "prlimit(\(name))", errno: errno)
            }
        }
    }
}
