/// Resource limits applied to every process of a step (soft and hard alike, so the step cannot raise them).
///
/// `nil` leaves a limit as the runner has it. A limit above the runner's own hard limit is lowered to it,
/// because an unprivileged process may not raise a hard limit.
public struct ResourceLimits: Sendable, Equatable {
    /// `RLIMIT_NOFILE`: open file descriptors per process.
    public var openFiles: UInt64?
    /// `RLIMIT_NPROC`: processes (threads) of the user; the kernel does not enforce it for root.
    public var processes: UInt64?
    /// `RLIMIT_CORE` in bytes; 0 turns core dumps off so a crash cannot write secrets to disk.
    public var coreFileSize: UInt64?
    /// `RLIMIT_FSIZE` in bytes: the largest file a step may write.
    public var fileSize: UInt64?

    /// Limits with defaults fit for CI jobs: 4096 files, 4096 processes, no core dumps, 8 GiB files.
    public init(
        openFiles: UInt64? = 4096,
        processes: UInt64? = 4096,
        coreFileSize: UInt64? = 0,
        fileSize: UInt64? = 8 << 30
    ) {
        self.openFiles = openFiles
        self.processes = processes
        self.coreFileSize = coreFileSize
        self.fileSize = fileSize
    }
}
