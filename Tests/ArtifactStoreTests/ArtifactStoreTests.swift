import ArtifactStore
import Database
import Foundation
import Logging
import TestSupport
import Testing
import Timekeeping

/// A store over a fresh directory, driven directly, with a clock the test moves.
private struct StoreFixture {
    let directory = TemporaryDirectory()
    let clock = ManualClock()
    let store: ArtifactStore

    init(options: ArtifactStoreOptions = ArtifactStoreOptions(gracePeriodSeconds: 3_600)) throws {
        let database = try Database(path: directory.file("vault.db"))
        store = try ArtifactStore(
            database: database, dataDirectory: directory.file("data"), options: options, clock: clock,
            logger: Logger(label: "test", sink: LogSink.memory()))
    }

    /// Uploads `contents` as one upload's files.
    @discardableResult
    func upload(_ contents: [String], _ upload: ArtifactUpload = ArtifactUpload(name: "bundle")) throws -> [Artifact] {
        let session = store.beginUpload()
        for (index, content) in contents.enumerated() {
            try session.beginFile(filename: "file\(index).txt")
            try Array(content.utf8).withUnsafeBytes { try session.write($0) }
            try session.endFile()
        }
        return try session.commit(upload)
    }

    var blobsPath: String { directory.file("data/blobs/sha256") }

    func path(of digest: BlobDigest) -> String {
        "\(blobsPath)/\(digest.hex.prefix(2))/\(digest.hex)"
    }
}

/// Pins whatever the test says.
private final class FixedPinning: BlobPinning {
    let digests: Set<BlobDigest>

    init(_ digests: Set<BlobDigest>) {
        self.digests = digests
    }

    func pinnedDigests() throws -> Set<BlobDigest> { digests }
}

@Suite struct ArtifactStoreTests {
    @Test func theSameContentIsStoredOnceAndNamedPerFile() throws {
        let fixture = try StoreFixture()
        let artifacts = try fixture.upload(["same", "same", "other"])
        #expect(artifacts.map(\.name) == ["bundle/file0.txt", "bundle/file1.txt", "bundle/file2.txt"])
        #expect(artifacts[0].digest == artifacts[1].digest)
        let again = try fixture.upload(["same"], ArtifactUpload(name: "single"))
        #expect(again.map(\.name) == ["single"])
        let files = try FileManager.default.subpathsOfDirectory(atPath: fixture.blobsPath).filter { $0.count > 3 }
        #expect(files.count == 3, "same, other and the empty blob: \(files)")
        #expect(try fixture.store.newestArtifact(named: "single").digest == artifacts[0].digest)
    }

    @Test func discardedAndMismatchedUploadsLeaveNoTemporaryFile() throws {
        let fixture = try StoreFixture()
        let session = fixture.store.beginUpload()
        try session.beginFile()
        try Array("partial".utf8).withUnsafeBytes { try session.write($0) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: fixture.directory.file("data/tmp")).count == 1)
        session.discard()
        #expect(try FileManager.default.contentsOfDirectory(atPath: fixture.directory.file("data/tmp")).isEmpty)

        let raw = fixture.store.beginUpload()
        try raw.beginFile()
        try Array("body".utf8).withUnsafeBytes { try raw.write($0) }
        try raw.endFile()
        #expect(throws: ArtifactError(.digestInvalid, "")) { try raw.commitBlob(expected: .empty) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: fixture.directory.file("data/tmp")).isEmpty)
    }

    @Test func collectionWaitsForTheGracePeriodAndKeepsReferencedAndPinnedBlobs() throws {
        let fixture = try StoreFixture()
        let kept = try fixture.upload(["kept"], ArtifactUpload(name: "kept"))[0]
        let deleted = try fixture.upload(["deleted"], ArtifactUpload(name: "deleted"))[0]
        let pinned = try fixture.upload(["pinned"], ArtifactUpload(name: "pinned"))[0]
        try fixture.store.deleteArtifact(id: deleted.id)
        try fixture.store.deleteArtifact(id: pinned.id)
        fixture.store.setPinning(FixedPinning([pinned.digest]))

        #expect(try fixture.store.collectGarbage().removedBlobs.isEmpty, "within the grace period")
        fixture.clock.advance(by: 3_601)
        let dryRun = try fixture.store.collectGarbage(dryRun: true)
        #expect(dryRun.removedBlobs == [deleted.digest])
        #expect(FileManager.default.fileExists(atPath: fixture.path(of: deleted.digest)))

        let report = try fixture.store.collectGarbage()
        #expect(report.removedBlobs == [deleted.digest])
        #expect(report.freedBytes == 7)
        #expect(!FileManager.default.fileExists(atPath: fixture.path(of: deleted.digest)))
        #expect(FileManager.default.fileExists(atPath: fixture.path(of: kept.digest)))
        #expect(FileManager.default.fileExists(atPath: fixture.path(of: pinned.digest)))
        #expect(FileManager.default.fileExists(atPath: fixture.path(of: .empty)))
    }

    @Test func expiredArtifactsAnswerExpiredAndTheirBlobsAreCollected() throws {
        let fixture = try StoreFixture(
            options: ArtifactStoreOptions(gracePeriodSeconds: 60, expiredRecordSeconds: 86_400))
        let artifact = try fixture.upload(["short-lived"], ArtifactUpload(name: "tmp", expiresInSeconds: 600))[0]
        fixture.clock.advance(by: 601)
        #expect(throws: ArtifactError(.expired, "")) { try fixture.store.newestArtifact(named: "tmp") }
        #expect(throws: ArtifactError(.expired, "")) { try fixture.store.artifact(id: artifact.id) }
        #expect(try fixture.store.collectGarbage().removedBlobs == [artifact.digest])
        #expect(throws: ArtifactError(.expired, "")) { try fixture.store.artifact(id: artifact.id) }
        fixture.clock.advance(by: 86_400)
        #expect(try fixture.store.collectGarbage().removedExpiredArtifacts == 1)
        #expect(throws: ArtifactError(.notFound, "")) { try fixture.store.artifact(id: artifact.id) }
    }

    @Test func reusingAnUnreferencedBlobRestartsItsGracePeriod() throws {
        let fixture = try StoreFixture()
        let first = try fixture.upload(["reused"], ArtifactUpload(name: "a"))[0]
        try fixture.store.deleteArtifact(id: first.id)
        fixture.clock.advance(by: 3_000)
        let raw = fixture.store.beginUpload()
        try raw.beginFile()
        try Array("reused".utf8).withUnsafeBytes { try raw.write($0) }
        try raw.endFile()
        #expect(try raw.commitBlob(expected: first.digest).wasPresent)
        fixture.clock.advance(by: 1_000)
        #expect(try fixture.store.collectGarbage().removedBlobs.isEmpty)
        fixture.clock.advance(by: 3_000)
        #expect(try fixture.store.collectGarbage().removedBlobs == [first.digest])
    }

    @Test func verifyFindsMissingUnrecordedCorruptAndStrayFiles() throws {
        let fixture = try StoreFixture()
        #expect(try fixture.store.verify().isHealthy)
        let artifacts = try fixture.upload(["missing", "corrupt"])
        let missing = artifacts[0].digest
        let corrupt = artifacts[1].digest
        try FileManager.default.removeItem(atPath: fixture.path(of: missing))
        try Data("tampered".utf8).write(to: URL(fileURLWithPath: fixture.path(of: corrupt)))
        let unrecorded = try BlobDigest.of("unrecorded")
        try FileManager.default.createDirectory(
            atPath: (fixture.path(of: unrecorded) as NSString).deletingLastPathComponent,
            withIntermediateDirectories: true)
        try Data("unrecorded".utf8).write(to: URL(fileURLWithPath: fixture.path(of: unrecorded)))
        try Data("junk".utf8).write(to: URL(fileURLWithPath: fixture.blobsPath + "/e3/not-a-digest"))

        let report = try fixture.store.verify()
        #expect(report.missingFiles == [missing])
        #expect(report.corruptBlobs == [corrupt])
        #expect(report.unrecordedFiles == [unrecorded])
        #expect(report.strayFiles.count == 1)
        #expect(!report.isHealthy)
    }

    @Test func temporaryFilesLeftByACrashAreCleared() throws {
        let fixture = try StoreFixture()
        let leftover = fixture.directory.file("data/tmp/upload-left-behind")
        try Data(repeating: 7, count: 100).write(to: URL(fileURLWithPath: leftover))
        #expect(try fixture.store.clearTemporaryFiles() == 1)
        #expect(!FileManager.default.fileExists(atPath: leftover))
    }

    @Test func namesAndDigestsAreCheckedStrictly() throws {
        for bad in [
            "", "/abs", "a//b", "a/./b", "../up", "trailing/", " space", "tab\tname",
            String(repeating: "x", count: 256),
        ] {
            #expect(throws: ArtifactError(.invalidName, ""), "\(bad)") { try ArtifactName.validate(bad) }
        }
        for good in ["app.jar", "dist/app-1.2.jar", "résumé.pdf", "with space/inside"] {
            try ArtifactName.validate(good)
        }
        #expect(try BlobDigest(parsing: BlobDigest.empty.description) == .empty)
        for bad in [
            "sha256:E3B0", "SHA256:" + BlobDigest.empty.hex, "sha1:" + BlobDigest.empty.hex, BlobDigest.empty.hex,
        ] {
            #expect(throws: ArtifactError(.digestInvalid, ""), "\(bad)") { try BlobDigest(parsing: bad) }
        }
    }
}

extension BlobDigest {
    /// The digest of `text`, by way of `sha256sum`.
    static func of(_ text: String) throws -> BlobDigest {
        let result = try CommandRunner.run("/bin/sh", ["-c", "printf %s '\(text)' | sha256sum"])
        return try BlobDigest(hex: String(result.standardOutput.prefix(64)))
    }
}
