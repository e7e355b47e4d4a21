import Glibc

/// One line of `/proc/PID/stat`, reduced to what process tracking needs.
struct ProcessEntry: Equatable {
    let pid: pid_t
    let parent: pid_t
    let group: pid_t
    let session: pid_t
    /// Start time in clock ticks since boot; with the pid it names a process even after pid reuse.
    let startTime: UInt64
    /// The state letter: `R`, `S`, `D`, `Z` (zombie), `X` (dead), ...
    let state: UInt8

    /// Whether the process still runs code (zombies and dead entries do not).
    var isAlive: Bool { state != UInt8(ascii: "Z") && state != UInt8(ascii: "X") }

    /// Parses the text of `/proc/PID/stat`.
    ///
    /// The command name sits in parentheses and may itself hold spaces and parentheses, so the fields
    /// are counted from the last `)`.
    init?(stat: [UInt8]) {
        guard let open = stat.firstIndex(of: UInt8(ascii: "(")),
            let close = stat.lastIndex(of: UInt8(ascii: ")")), open < close
        else { return nil }
        guard let pid = Int32(String(decoding: stat[..<open], as: UTF8.self).trimmingSpaces) else { return nil }
        let fields = stat[(close + 1)...].split(separator: UInt8(ascii: " "))
        // After the name: state(0) ppid(1) pgrp(2) session(3) ... starttime(19).
        guard fields.count > 19, let state = fields[0].first else { return nil }
        guard let parent = Int32(Substring(decoding: fields[1], as: UTF8.self)),
            let group = Int32(Substring(decoding: fields[2], as: UTF8.self)),
            let session = Int32(Substring(decoding: fields[3], as: UTF8.self)),
            let startTime = UInt64(Substring(decoding: fields[19], as: UTF8.self))
        else { return nil }
        self.pid = pid
        self.parent = parent
        self.group = group
        self.session = session
        self.startTime = startTime
        self.state = state
    }
}

extension String {
    fileprivate var trimmingSpaces: Substring {
        let start = firstIndex { $0 != " " } ?? endIndex
        let end = lastIndex { $0 != " " }.map { index(after: $0) } ?? start
        return self[start..<max(start, end)]
    }
}
