import ArtifactStore
import Foundation
import TestSupport
import Testing

@Suite struct ArtifactCrashTests {
    @Test func sigkillDuringALargeUploadLeavesNothingAndTheSameUploadThenSucceeds() throws {
        let directory = TemporaryDirectory()
        let file = directory.file("large.bin")
        try TestFiles.random(file, size: 256 << 20)
        let expected = try TestFiles.sha256sum(file)
        let temporary = directory.file("data/tmp")
        let blobs = directory.file("data/blobs/sha256")

        let first = try DevServer(directory: directory.path)
        let upload = Process()
        upload.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        upload.arguments = [
            "-s", "-o", "/dev/null", "--limit-rate", "32M", "-F", "file=@\(file)", "-H",
            "Authorization: Bearer \(first.rootToken)", first.address + "/v1/artifacts",
        ]
        try upload.run()
        // Kill the server once a good part of the upload sits in its temporary file.
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline, temporaryBytes(temporary) < 32 << 20 {
            Thread.sleep(forTimeInterval: 0.05)
        }
        #expect(temporaryBytes(temporary) >= 32 << 20, "the upload was under way")
        first.kill()
        upload.waitUntilExit()
        #expect(upload.terminationStatus != 0, "curl saw the connection die")

        let second = try DevServer(directory: directory.path)
        #expect(try FileManager.default.contentsOfDirectory(atPath: temporary).isEmpty)
        let env = second.environment
        let listed = try CommandRunner.vaultctl(["artifact", "list", "--format", "json"], environment: env)
        let object = try JSONSerialization.jsonObject(with: Data(listed.standardOutput.utf8)) as? [String: Any]
        #expect((object?["artifacts"] as? [Any])?.isEmpty == true, "\(listed.standardOutput) \(listed.standardError)")
        let blobFiles = try FileManager.default.subpathsOfDirectory(atPath: blobs).filter { $0.count > 3 }
        #expect(blobFiles == ["e3/" + BlobDigest.empty.hex], "nothing of the cut-off upload is visible")
        let missing = try CurlAnswer.run(
            ["-H", "Authorization: Bearer \(second.rootToken)", second.address + "/v1/blobs/\(expected)"])
        #expect(missing.status == 404)

        let retry = try CurlAnswer.run(
            [
                "-F", "file=@\(file)", "-H", "Authorization: Bearer \(second.rootToken)",
                second.address + "/v1/artifacts",
            ])
        #expect(retry.status == 201, "\(retry.body)")
        #expect(retry.artifacts.first?["digest"] as? String == expected)
        #expect(try FileManager.default.contentsOfDirectory(atPath: temporary).isEmpty)
        #expect(second.stop() == 0)
    }

    private func temporaryBytes(_ path: String) -> Int {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return names.reduce(0) { total, name in
            let size = (try? FileManager.default.attributesOfItem(atPath: path + "/" + name))?[.size] as? Int
            return total + (size ?? 0)
        }
    }
}
