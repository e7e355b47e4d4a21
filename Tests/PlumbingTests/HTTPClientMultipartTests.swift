import Foundation
import HTTPClient
import Synchronization
import Testing

@Suite("HTTPClient multipart uploads")
struct HTTPClientMultipartTests {
    @Test func multipartUploadDeliversFieldsAndTwoFilesIntact() throws {
        let server = try HTTPClientTestServer()
        let directory = try HTTPClientTestFiles.makeDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let first = try HTTPClientTestFiles.writeFile(in: directory, name: "a.bin", size: 1_500_000, seed: 3)
        let second = try HTTPClientTestFiles.writeFile(in: directory, name: "b.txt", size: 10, seed: 4)
        let reports = Mutex<TransferProgress?>(nil)

        let response = try HTTPClient().uploadMultipart(
            url: server.baseURL + "/multipart",
            headers: [("Authorization", "Bearer t")],
            fields: [(name: "name", value: "build-output")],
            files: [
                (field: "file", path: first, filename: "app.jar"),
                (field: "file", path: second, filename: "notes.txt"),
            ]
        ) { progress in
            reports.withLock { $0 = progress }
        }

        #expect(response.status == 201)
        let info = try HTTPClientTestFiles.object(response.body)
        #expect(info["contentLength"] is String)
        let parts = try #require(info["parts"] as? [[String: Any]])
        try #require(parts.count == 3)
        #expect(parts[0]["name"] as? String == "name")
        #expect(parts[0]["text"] as? String == "build-output")
        #expect(parts[1]["filename"] as? String == "app.jar")
        #expect(parts[1]["size"] as? Int == 1_500_000)
        #expect(parts[1]["sha256"] as? String == (try HTTPClientTestFiles.sha256(ofFile: first)))
        #expect(parts[2]["filename"] as? String == "notes.txt")
        #expect(parts[2]["sha256"] as? String == (try HTTPClientTestFiles.sha256(ofFile: second)))
        let last = try #require(reports.withLock { $0 })
        #expect(last.uploadedBytes > 1_500_010)
    }

    @Test func multipartWithAMissingFileThrowsIOBeforeConnecting() {
        let path = "/nonexistent-\(UUID().uuidString).jar"

        let error = #expect(throws: HTTPClientError.self) {
            try HTTPClient().uploadMultipart(
                url: "http://127.0.0.1:1/v1/artifacts",
                files: [(field: "file", path: path, filename: "app.jar")]
            )
        }

        #expect(error?.code == .io)
        #expect(error?.reason.contains(path) == true)
    }
}
