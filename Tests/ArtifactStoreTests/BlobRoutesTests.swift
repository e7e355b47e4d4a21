import ArtifactStore
import Foundation
import TestSupport
import Testing

@Suite struct BlobRoutesTests {
    /// A server holding one uploaded file of 1000 known bytes.
    private func serverWithBlob() throws -> (ArtifactTestServer, String, Data) {
        let server = try ArtifactTestServer()
        let file = server.directory.file("data.bin")
        let content = Data((0..<1000).map { UInt8($0 % 251) })
        try content.write(to: URL(fileURLWithPath: file))
        let answer = try server.upload([file])
        let digest = try #require(answer.artifacts.first?["digest"] as? String)
        return (server, digest, content)
    }

    @Test func getAndHeadAnswerLengthETagDigestAndAcceptRanges() throws {
        let (server, digest, content) = try serverWithBlob()
        let copy = server.directory.file("copy")
        let get = try server.curl("/v1/blobs/\(digest)", ["-o", copy])
        #expect(get.status == 200)
        #expect(FileManager.default.contents(atPath: copy) == content)
        #expect(get.header("Content-Length") == "1000")
        #expect(get.header("ETag") == "\"\(digest)\"")
        #expect(get.header("Accept-Ranges") == "bytes")
        let hex = String(digest.dropFirst(7))
        let base64 = Data((0..<32).map { UInt8(hex.dropFirst($0 * 2).prefix(2), radix: 16)! }).base64EncodedString()
        #expect(get.header("Digest") == "sha-256=\(base64)")

        let head = try server.curl("/v1/blobs/\(digest)", ["-I"])
        #expect(head.status == 200)
        #expect(head.header("Content-Length") == "1000")
        #expect(head.header("ETag") == "\"\(digest)\"")
    }

    @Test func rangesAnswer206WithContentRangeAnd416WhenUnsatisfiable() throws {
        let (server, digest, content) = try serverWithBlob()
        let cases: [(String, Range<Int>)] = [
            ("bytes=10-19", 10..<20), ("bytes=990-", 990..<1000), ("bytes=-5", 995..<1000),
            ("bytes=900-5000", 900..<1000),
        ]
        for (range, expected) in cases {
            let copy = server.directory.file("range")
            let answer = try server.curl("/v1/blobs/\(digest)", ["-H", "Range: \(range)", "-o", copy])
            #expect(answer.status == 206, "\(range)")
            #expect(answer.header("Content-Range") == "bytes \(expected.lowerBound)-\(expected.upperBound - 1)/1000")
            #expect(FileManager.default.contents(atPath: copy) == content.subdata(in: expected), "\(range)")
        }
        let unsatisfiable = try server.curl("/v1/blobs/\(digest)", ["-H", "Range: bytes=1000-"])
        #expect(unsatisfiable.status == 416)
        #expect(unsatisfiable.header("Content-Range") == "bytes */1000")
        let several = try server.curl("/v1/blobs/\(digest)", ["-H", "Range: bytes=0-1,5-6"])
        #expect(several.status == 200, "several ranges are answered with the whole blob")
        let stale = try server.curl(
            "/v1/blobs/\(digest)", ["-H", "Range: bytes=0-1", "-H", "If-Range: \"sha256:other\""])
        #expect(stale.status == 200)
    }

    @Test func ifNoneMatchWithTheDigestAnswers304() throws {
        let (server, digest, _) = try serverWithBlob()
        let answer = try server.curl("/v1/blobs/\(digest)", ["-H", "If-None-Match: \"sha256:nope\", W/\"\(digest)\""])
        #expect(answer.status == 304)
        #expect(answer.body.isEmpty)
        #expect(try server.curl("/v1/blobs/\(digest)", ["-H", "If-None-Match: \"sha256:nope\""]).status == 200)
    }

    @Test func theEmptyBlobAlwaysExists() throws {
        let server = try ArtifactTestServer()
        let answer = try server.curl("/v1/blobs/\(BlobDigest.empty)", [])
        #expect(answer.status == 200)
        #expect(answer.header("Content-Length") == "0")
        #expect(try server.curl("/v1/blobs/\(BlobDigest.empty)", ["-I"]).status == 200)
        #expect(try server.store.collectGarbage().removedBlobs.isEmpty)
        #expect(server.blobFiles() == [BlobDigest.empty.hex])
    }

    @Test func malformedDigestsGet400AndTouchNoFile() throws {
        let server = try ArtifactTestServer()
        let hex = String(repeating: "a", count: 64)
        let malformed = [
            "sha256:" + String(hex.dropFirst()), "sha256:" + hex + "a", "sha256:" + hex.uppercased(), "sha512:" + hex,
            "md5:abc", hex, "sha256:..%2F..%2Fvault.db", "sha256:" + String(hex.dropFirst(2)) + "..",
        ]
        for digest in malformed {
            for arguments in [["-X", "GET"], ["-I"], ["-X", "PUT", "--data-binary", "x"]] {
                let answer = try server.curl("/v1/blobs/\(digest)", ["--path-as-is"] + arguments)
                #expect(answer.status == 400, "\(arguments) \(digest)")
            }
        }
        #expect(server.blobFiles() == [BlobDigest.empty.hex])
        #expect(server.temporaryFiles().isEmpty)
        #expect(try server.curl("/v1/blobs/sha256:\(hex)", []).status == 404)
        #expect(try CurlAnswer.run([server.address + "/v1/blobs/\(BlobDigest.empty)"]).status == 401)
    }

    @Test func putWithTheRightDigestStoresAndAWrongDigestLeavesNothing() throws {
        let server = try ArtifactTestServer()
        let file = server.directory.file("raw.bin")
        try TestFiles.random(file, size: 3 << 20)
        let digest = try TestFiles.sha256sum(file)

        let wrong = "sha256:" + String(repeating: "0", count: 64)
        let refused = try server.curl("/v1/blobs/\(wrong)", ["-X", "PUT", "--data-binary", "@\(file)"])
        #expect(refused.status == 400)
        #expect(refused.errorCode == "digest_invalid")
        #expect(server.blobFiles() == [BlobDigest.empty.hex])
        #expect(server.temporaryFiles().isEmpty)
        let rows = try server.database.read { try $0.query("SELECT digest FROM artifact_blobs").count }
        #expect(rows == 1, "only the empty blob's row")

        let stored = try server.curl("/v1/blobs/\(digest)", ["-X", "PUT", "--data-binary", "@\(file)"])
        #expect(stored.status == 201, "\(stored.body)")
        #expect(stored.json?["digest"] as? String == digest)
        let copy = server.directory.file("copy")
        #expect(try server.curl("/v1/blobs/\(digest)", ["-o", copy]).status == 200)
        #expect(try TestFiles.sha256sum(copy) == digest)
    }
}
