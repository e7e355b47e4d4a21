import CProcessShims
import Glibc

/// Sends signals to and reaps processes named by pid and start time.
enum ProcessSignals {
    /// Sends `signal` to the process if it is still the one that started at `startTime`.
    ///
    /// The pid is pinned with a pidfd before the start time is checked, so a pid reused in between
    /// is never signalled.
    static func send(_ signal: Int32, to pid: pid_t, startTime: UInt64) {
        let pidfd = vault_pidfd_open(pid)
        guard pidfd >= 0 else {
            // Only kernels before 5.3 lack pidfds; fall back to kill(2) after the same check.
            if errno == ENOSYS, ProcessTable.entry(for: pid)?.startTime == startTime { kill(pid, signal) }
            return
        }
        defer { close(pidfd) }
        guard ProcessTable.entry(for: pid)?.startTime == startTime else { return }
        _ = vault_pidfd_send_signal(pidfd, signal)
    }

    /// Reaps members that died as zombie children of this process (orphans adopted by a subreaper).
    static func reapAdoptedZombies(_ members: [pid_t: UInt64], table: [pid_t: ProcessEntry], except root: pid_t) {
        let me = getpid()
        for (pid, startTime) in members where pid != root {
            guard let entry = table[pid], entry.startTime == startTime else { continue }
            guard entry.parent == me, !entry.isAlive else { continue }
            var status: Int32 = 0
            _ = waitpid(pid, &status, WNOHANG)
        }
    }
}
