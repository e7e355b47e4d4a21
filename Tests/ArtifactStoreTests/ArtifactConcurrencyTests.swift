import ArtifactStore
import Foundation
import Synchronization
import TestSupport
import Testing

@Suite struct ArtifactConcurrencyTests {
    @Test func eightConcurrentUploadsOfTheSameFileAllSucceedAndLeaveOneFile() throws {
        let server = try ArtifactTestServer()
        let file = server.directory.file("same.bin")
        try TestFiles.random(file, size: 200 << 20)
        let expected = try TestFiles.sha256sum(file)

        let answers = Mutex<[CurlAnswer]>([])
        let failures = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            do {
                let answer = try server.upload([file])
                answers.withLock { $0.append(answer) }
            } catch {
                failures.withLock { $0.append("\(error)") }
            }
        }
        #expect(failures.withLock { $0 }.isEmpty)
        let all = answers.withLock { $0 }
        #expect(all.count == 8)
        for answer in all {
            #expect(answer.status == 201, "\(answer.body)")
            #expect(answer.artifacts.first?["digest"] as? String == expected)
        }
        #expect(server.blobFiles() == [BlobDigest.empty.hex, String(expected.dropFirst(7))].sorted())
        #expect(server.temporaryFiles().isEmpty)
        let listed = try server.curl("/v1/artifacts?name=same.bin", []).json?["artifacts"] as? [[String: Any]]
        #expect(listed?.count == 8)
    }

    /// Collection runs without pause and with no grace period while the same few contents are
    /// uploaded, checked and released again, so it keeps removing exactly the blobs new uploads
    /// are about to reuse. No upload may lose its content.
    @Test func collectionInALoopWhileUploadingLosesNothing() throws {
        let server = try ArtifactTestServer(options: ArtifactStoreOptions(gracePeriodSeconds: 0))
        var files: [(path: String, digest: String)] = []
        for index in 0..<3 {
            let path = server.directory.file("content-\(index).bin")
            try TestFiles.random(path, size: (1 << 20) + index)
            files.append((path, try TestFiles.sha256sum(path)))
        }
        let stop = Atomic<Bool>(false)
        let collections = Atomic<Int>(0)
        let removed = Atomic<Int>(0)
        let collector = Thread {
            while !stop.load(ordering: .acquiring) {
                if let report = try? server.store.collectGarbage() {
                    collections.add(1, ordering: .relaxed)
                    removed.add(report.removedBlobs.count, ordering: .relaxed)
                }
            }
        }
        collector.start()
        defer { stop.store(true, ordering: .releasing) }

        for round in 0..<24 {
            let file = files[round % files.count]
            let answer = try server.upload([file.path])
            #expect(answer.status == 201, "round \(round): \(answer.body)")
            let id = try #require(answer.artifacts.first?["id"] as? String)
            let copy = server.directory.file("copy")
            #expect(try server.curl("/v1/blobs/\(file.digest)", ["-o", copy]).status == 200, "round \(round)")
            #expect(try TestFiles.sha256sum(copy) == file.digest, "round \(round)")
            if round < 21 {
                #expect(try server.curl("/v1/artifacts/\(id)", ["-X", "DELETE"]).status == 200)
            }
        }
        stop.store(true, ordering: .releasing)
        while !collector.isFinished { Thread.sleep(forTimeInterval: 0.01) }

        #expect(collections.load(ordering: .relaxed) > 10)
        #expect(removed.load(ordering: .relaxed) > 0, "collection did remove released blobs meanwhile")
        let report = try server.store.verify()
        #expect(report.missingFiles.isEmpty && report.corruptBlobs.isEmpty)
        for file in files {
            #expect(try server.curl("/v1/blobs/\(file.digest)", ["-I"]).status == 200, "the last three uploads stay")
        }
    }
}
