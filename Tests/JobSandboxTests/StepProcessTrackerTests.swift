import Testing

@testable import JobSandbox

@Suite("StepProcessTracker membership rules")
struct StepProcessTrackerTests {
    private func entry(_ pid: Int32, parent: Int32, session: Int32? = nil, start: UInt64, state: String = "S")
        -> ProcessEntry
    {
        let stat =
            "\(pid) (cmd (x)) \(state) \(parent) \(session ?? pid) \(session ?? pid) 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 \(start) 0 0"
        return ProcessEntry(stat: Array(stat.utf8))!
    }

    private func table(_ entries: [ProcessEntry]) -> [Int32: ProcessEntry] {
        Dictionary(uniqueKeysWithValues: entries.map { ($0.pid, $0) })
    }

    @Test func statLineWithParenthesesInTheNameIsParsed() {
        let parsed = entry(42, parent: 7, session: 9, start: 12345, state: "Z")

        #expect(parsed.pid == 42 && parsed.parent == 7 && parsed.session == 9 && parsed.group == 9)
        #expect(parsed.startTime == 12345)
        #expect(!parsed.isAlive)
    }

    @Test func descendantsStayMembersAfterTheyAreOrphaned() {
        var tracker = StepProcessTracker(root: 100, fingerprint: [], excluded: [1])
        tracker.update(
            with: table([
                entry(100, parent: 50, start: 10), entry(101, parent: 100, start: 11),
                entry(102, parent: 101, session: 102, start: 12),
            ]))

        tracker.update(
            with: table([entry(100, parent: 50, start: 10), entry(102, parent: 1, session: 102, start: 12)]))

        #expect(Set(tracker.members.keys) == [100, 102])
    }

    @Test func reusedPidIsNotAMember() {
        var tracker = StepProcessTracker(root: 100, fingerprint: [], excluded: [1])
        tracker.update(with: table([entry(100, parent: 50, start: 10), entry(101, parent: 100, start: 11)]))

        let reused = table([entry(100, parent: 50, start: 10), entry(101, parent: 1, session: 101, start: 99)])
        tracker.update(with: reused)

        #expect(tracker.liveMembers(in: reused).map(\.pid) == [100])
    }

    @Test func sessionMembersAreAdmittedEvenWhenReparented() {
        var tracker = StepProcessTracker(root: 100, fingerprint: [], excluded: [1])

        tracker.update(
            with: table([entry(100, parent: 50, start: 10), entry(103, parent: 1, session: 100, start: 13)]))

        #expect(Set(tracker.members.keys) == [100, 103])
    }

    @Test func fingerprintAdmitsEscapedProcessesButNotOlderOnesOrExcluded() {
        var tracker = StepProcessTracker(root: 100, fingerprint: [Array("HOME=/w/home".utf8)], excluded: [1, 7])
        let processes = table([
            entry(100, parent: 50, start: 10), entry(104, parent: 1, session: 104, start: 14),
            entry(105, parent: 1, session: 105, start: 15), entry(90, parent: 1, session: 90, start: 5),
            entry(7, parent: 1, session: 7, start: 20),
        ])

        tracker.update(with: processes) { pid in pid == 105 ? [] : [Array("HOME=/w/home".utf8)] }

        #expect(Set(tracker.members.keys) == [100, 104])
    }

    @Test func zombiesAreMembersButNotLive() {
        var tracker = StepProcessTracker(root: 100, fingerprint: [], excluded: [1])
        let processes = table([entry(100, parent: 50, start: 10), entry(101, parent: 100, start: 11, state: "Z")])

        tracker.update(with: processes)

        #expect(tracker.liveMembers(in: processes).map(\.pid) == [100])
    }

    @Test func waitStatusDecodesExitAndSignal() {
        #expect(StepSupervisor.termination(fromWaitStatus: 3 << 8) == .exited(3))
        #expect(StepSupervisor.termination(fromWaitStatus: 9) == .signalled(9))
        #expect(StepSupervisor.termination(fromWaitStatus: 0x80 | 11) == .signalled(11))
    }
}
