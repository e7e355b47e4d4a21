import ArtifactStore
import Foundation
import TestSupport
import Testing

@Suite struct ArtifactUploadTests {
    @Test func hundredMebibyteCurlUploadAnswersTheSha256sumDigestAndDownloadsIdentically() throws {
        let server = try ArtifactTestServer()
        let file = server.directory.file("app.jar")
        try TestFiles.random(file, size: 100 << 20)
        let expected = try TestFiles.sha256sum(file)

        let answer = try server.upload([file])
        #expect(answer.status == 201, "\(answer.body)")
        let artifact = try #require(answer.artifacts.first)
        #expect(artifact["digest"] as? String == expected)
        #expect(artifact["size"] as? Int == 100 << 20)
        #expect(artifact["name"] as? String == "app.jar")
        #expect(artifact["url"] as? String == "/v1/blobs/\(expected)")

        let copy = server.directory.file("copy")
        let download = try server.curl("/v1/blobs/\(expected)", ["-o", copy])
        #expect(download.status == 200)
        #expect(try TestFiles.sha256sum(copy) == expected)
        #expect(server.temporaryFiles().isEmpty)
    }

    @Test func emptyFileCRLFEndingAndThreeFilesInOneRequestRoundTrip() throws {
        let server = try ArtifactTestServer()
        let empty = server.directory.file("empty.bin")
        let crlf = server.directory.file("lines.txt")
        let dashes = server.directory.file("dashes.txt")
        _ = FileManager.default.createFile(atPath: empty, contents: Data())
        try Data("first line\r\nsecond line\r\n".utf8).write(to: URL(fileURLWithPath: crlf))
        try Data("--\r\n--\r\n\r\n--".utf8).write(to: URL(fileURLWithPath: dashes))

        let answer = try server.upload([empty, crlf, dashes])
        #expect(answer.status == 201, "\(answer.body)")
        #expect(answer.artifacts.map { $0["name"] as? String } == ["empty.bin", "lines.txt", "dashes.txt"])
        for (file, artifact) in zip([empty, crlf, dashes], answer.artifacts) {
            let digest = try TestFiles.sha256sum(file)
            #expect(artifact["digest"] as? String == digest)
            let copy = server.directory.file("copy-" + (file as NSString).lastPathComponent)
            #expect(try server.curl("/v1/blobs/\(digest)", ["-o", copy]).status == 200)
            let bytes = FileManager.default.contents(atPath: copy) ?? Data()
            #expect(bytes == FileManager.default.contents(atPath: file), "\(file)")
        }
    }

    /// curl picks its own boundary, so this body is built by hand and sent with curl: the file holds
    /// `\r\n--` and the request's boundary, followed by text, the way a build output might.
    @Test func fileHoldingTheRequestsOwnBoundaryTextRoundTrips() throws {
        let server = try ArtifactTestServer()
        let boundary = "vaultctl-boundary-1234567890"
        var content = Array("head\r\n--\(boundary)X not the end\r\n--\(boundary) \tpadding then text\r\n".utf8)
        content += Array("\r\n--\(boundary)\r\n".utf8).dropLast(2) + Array("!\r\n--".utf8)
        let disposition = #"Content-Disposition: form-data; name="file"; filename="tricky.bin""#
        let body = multipartBody(boundary, [(disposition, content)])
        let bodyFile = server.directory.file("body")
        try Data(body).write(to: URL(fileURLWithPath: bodyFile))

        let answer = try server.curl(
            "/v1/artifacts",
            ["-H", "Content-Type: multipart/form-data; boundary=\(boundary)", "--data-binary", "@\(bodyFile)"])
        #expect(answer.status == 201, "\(answer.body)")
        let digest = try #require(answer.artifacts.first?["digest"] as? String)
        let copy = server.directory.file("copy")
        #expect(try server.curl("/v1/blobs/\(digest)", ["-o", copy]).status == 200)
        #expect(FileManager.default.contents(atPath: copy) == Data(content))
    }

    @Test func nameFieldsPipelineAndExpiryAreRecorded() throws {
        let server = try ArtifactTestServer()
        let file = server.directory.file("report.html")
        try Data("<html></html>".utf8).write(to: URL(fileURLWithPath: file))
        let answer = try server.upload(
            [file], fields: [("name", "site/report"), ("pipeline", "p-17"), ("job", "build.1"), ("expires_in", "7d")])
        #expect(answer.status == 201, "\(answer.body)")
        let artifact = try #require(answer.artifacts.first)
        #expect(artifact["name"] as? String == "site/report")
        #expect(artifact["pipeline"] as? String == "p-17")
        #expect(artifact["job"] as? String == "build.1")
        #expect(artifact["expires_at"] is String)

        let listed = try server.curl("/v1/artifacts?pipeline=p-17&job=build.1", [])
        #expect((listed.json?["artifacts"] as? [[String: Any]])?.count == 1)
        let newest = try server.curl("/v1/artifacts/site/report", [])
        #expect(newest.json?["id"] as? String == artifact["id"] as? String)
    }

    @Test func badFormsAreRefusedAndLeaveNothing() throws {
        let server = try ArtifactTestServer()
        let file = server.directory.file("a.txt")
        try Data("content".utf8).write(to: URL(fileURLWithPath: file))

        let unknown = try server.curl("/v1/artifacts", ["-F", "file=@\(file)", "-F", "colour=blue"])
        #expect(unknown.status == 400)
        #expect(unknown.body.contains("unknown form field 'colour'"))
        let badExpiry = try server.upload([file], fields: [("expires_in", "soon")])
        #expect(badExpiry.status == 400)
        let badName = try server.upload([file], fields: [("name", "../escape")])
        #expect(badName.errorCode == "invalid_name")
        let noFile = try server.curl("/v1/artifacts", ["-F", "name=x"])
        #expect(noFile.status == 400)
        let json = try server.curl("/v1/artifacts", ["-H", "Content-Type: application/json", "--data-binary", "{}"])
        #expect(json.status == 415)
        let truncated = try server.curl(
            "/v1/artifacts", ["-H", "Content-Type: multipart/form-data; boundary=b", "--data-binary", "--b\r\nContent"])
        #expect(truncated.errorCode == "invalid_multipart")
        let anonymous = try CurlAnswer.run(["-F", "file=@\(file)", server.address + "/v1/artifacts"])
        #expect(anonymous.status == 401)

        #expect(server.temporaryFiles().isEmpty)
        #expect(try server.curl("/v1/artifacts", []).json?["artifacts"] as? [Any] != nil)
        #expect((try server.curl("/v1/artifacts", []).json?["artifacts"] as? [Any])?.isEmpty == true)
    }

    @Test func declaredLengthOverTheLimitGets413AndBelowTheFloorGets507BeforeTheBody() throws {
        let small = try ArtifactTestServer(options: ArtifactStoreOptions(maxUploadBytes: 1 << 20))
        let file = small.directory.file("big.bin")
        try TestFiles.random(file, size: 2 << 20)
        let tooLarge = try small.upload([file])
        #expect(tooLarge.status == 413)
        #expect(tooLarge.errorCode == "payload_too_large")
        let chunked = try small.curl("/v1/artifacts", ["-H", "Transfer-Encoding: chunked", "-F", "file=@\(file)"])
        #expect(chunked.status == 413, "a body without a declared length is cut off once it passes the limit")

        let full = try ArtifactTestServer(options: ArtifactStoreOptions(minFreeBytes: 1 << 60))
        let refused = try full.upload([file])
        #expect(refused.status == 507)
        #expect(refused.errorCode == "insufficient_storage")
        #expect(small.temporaryFiles().isEmpty && full.temporaryFiles().isEmpty)
        #expect(full.blobFiles() == [BlobDigest.empty.hex])
    }

    @Test func newestByNameExpiredAnswers410AndDeleteRemovesTheRecord() throws {
        let server = try ArtifactTestServer()
        let file = server.directory.file("app.tar")
        try Data("one".utf8).write(to: URL(fileURLWithPath: file))
        let first = try server.upload([file], fields: [("name", "app")])
        try Data("two".utf8).write(to: URL(fileURLWithPath: file))
        let second = try server.upload([file], fields: [("name", "app"), ("expires_in", "1s")])
        #expect(first.status == 201 && second.status == 201)
        Thread.sleep(forTimeInterval: 1.2)

        #expect(try server.curl("/v1/artifacts/app", []).status == 410)
        let id = try #require(first.artifacts.first?["id"] as? String)
        #expect(try server.curl("/v1/artifacts/\(id)", []).json?["name"] as? String == "app")
        let listed = try server.curl("/v1/artifacts?name=app", []).json?["artifacts"] as? [[String: Any]]
        #expect(listed?.map { $0["id"] as? String } == [id], "expired artifacts are not listed")
        #expect(try server.curl("/v1/artifacts/\(id)", ["-X", "DELETE"]).status == 200)
        #expect(try server.curl("/v1/artifacts/\(id)", []).status == 404)
        #expect(try server.curl("/v1/artifacts/nothing-here", []).status == 404)
    }
}
