/// What the runner reports about a job's cleanup with its completion; the server stores it with the job.
public struct CleanupReceipt: Sendable, Equatable {
    /// Processes of the job still alive after the sandbox ended them; anything but 0 is a leak.
    public var processesLeft: Int
    /// Whether the workspace, with HOME, TMPDIR and the secret files inside it, is gone.
    public var workspaceRemoved: Bool
    /// Whether every lease the runner took for the job was revoked (or was already gone).
    public var leasesRevoked: Bool
    /// Whether the steps ran inside bubblewrap.
    public var bubblewrap: Bool

    /// Creates a receipt.
    public init(processesLeft: Int, workspaceRemoved: Bool, leasesRevoked: Bool, bubblewrap: Bool) {
        self.processesLeft = processesLeft
        self.workspaceRemoved = workspaceRemoved
        self.leasesRevoked = leasesRevoked
        self.bubblewrap = bubblewrap
    }

    /// The receipt as the completion body carries it.
    var json: [String: Any] {
        [
            "processes_left": processesLeft, "workspace_removed": workspaceRemoved, "leases_revoked": leasesRevoked,
            "bwrap": bubblewrap,
        ]
    }
}
