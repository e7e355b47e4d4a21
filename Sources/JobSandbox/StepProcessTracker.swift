import Glibc

/// Decides which processes belong to one step, from successive `/proc` snapshots.
///
/// A process belongs to the step when it descends from the step's first process, shares its session
/// or process group, or was started with the step's environment fingerprint (`HOME` and `TMPDIR`).
/// Members are remembered by pid and start time, so a process stays a member after it is orphaned and
/// reparented (to init or to a subreaper), and a reused pid is never mistaken for one.
/// Pure: it reads nothing itself, which keeps the rules testable.
struct StepProcessTracker {
    /// The step's first process.
    let root: pid_t
    /// Environment entries that together mark a process started by the step; empty turns the rule off.
    let fingerprint: [[UInt8]]
    /// Processes never to treat as members: the runner itself and init.
    let excluded: Set<pid_t>
    private(set) var rootStartTime: UInt64?
    private(set) var members: [pid_t: UInt64] = [:]

    init(root: pid_t, fingerprint: [[UInt8]], excluded: Set<pid_t>) {
        self.root = root
        self.fingerprint = fingerprint
        self.excluded = excluded
    }

    /// Adds descendants and session or group members found in `table`, and forgets members that are gone.
    mutating func update(with table: [pid_t: ProcessEntry]) {
        if rootStartTime == nil, let entry = table[root] { rootStartTime = entry.startTime }
        members = members.filter { pid, startTime in table[pid]?.startTime == startTime }
        if let entry = table[root], entry.startTime == rootStartTime { admit(entry) }
        admitSessionMembers(of: table)
        admitDescendants(in: table)
    }

    /// Also admits processes whose start environment carries the fingerprint: those that left the tree
    /// and the session, such as a double-forked daemon. `environment` reads a process's environment.
    mutating func update(with table: [pid_t: ProcessEntry], environment: (pid_t) -> [[UInt8]]) {
        update(with: table)
        guard !fingerprint.isEmpty, let rootStartTime else { return }
        for entry in table.values where members[entry.pid] == nil && entry.isAlive {
            // Anything older than the step cannot be part of it; this also skips most of the host cheaply.
            guard entry.startTime >= rootStartTime, !excluded.contains(entry.pid) else { continue }
            let entries = environment(entry.pid)
            if fingerprint.allSatisfy(entries.contains) { admit(entry) }
        }
        admitDescendants(in: table)
    }

    /// Members that still run, as pid and start time.
    func liveMembers(in table: [pid_t: ProcessEntry]) -> [(pid: pid_t, startTime: UInt64)] {
        members.compactMap { pid, startTime in
            guard let entry = table[pid], entry.startTime == startTime, entry.isAlive else { return nil }
            return (pid, startTime)
        }
    }

    private mutating func admit(_ entry: ProcessEntry) {
        guard !excluded.contains(entry.pid) else { return }
        members[entry.pid] = entry.startTime
    }

    private mutating func admitSessionMembers(of table: [pid_t: ProcessEntry]) {
        guard let rootStartTime else { return }
        for entry in table.values where entry.session == root || entry.group == root {
            // A later process could reuse the root's pid as its own session id; start times rule it out.
            if entry.startTime >= rootStartTime { admit(entry) }
        }
    }

    private mutating func admitDescendants(in table: [pid_t: ProcessEntry]) {
        var children: [pid_t: [ProcessEntry]] = [:]
        for entry in table.values { children[entry.parent, default: []].append(entry) }
        var pending = Array(members.keys)
        while let parent = pending.popLast() {
            for child in children[parent] ?? [] where members[child.pid] == nil && !excluded.contains(child.pid) {
                members[child.pid] = child.startTime
                pending.append(child.pid)
            }
        }
    }
}
