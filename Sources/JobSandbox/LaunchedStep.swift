import Glibc

/// A step's first process just after spawning, with the read ends of its output pipes.
struct LaunchedStep {
    let pid: pid_t
    let standardOutput: FileDescriptor
    let standardError: FileDescriptor
    /// A pidfd of the first process, readable when it exits; `nil` on kernels without pidfds.
    let pidfd: FileDescriptor?
}
