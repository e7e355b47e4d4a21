import Foundation
import HTTPClient
import Testing

@Suite("HTTPClient downloads and streams")
struct HTTPClientDownloadTests {
    @Test func downloadWritesTwentyMiBToANewFileWithMode0600() throws {
        let server = try HTTPClientTestServer()
        let directory = try HTTPClientTestFiles.makeDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("artifact.bin").path
        let size = 20 * 1024 * 1024
        let request = HTTPClientRequest(method: "GET", url: server.baseURL + "/large?size=\(size)")

        let response = try HTTPClient().download(request, to: path)

        #expect(response.status == 200)
        #expect(response.body.isEmpty)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let contents = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(contents.count == size)
        #expect(HTTPClientTestFiles.isLargePattern(contents))
    }

    @Test func downloadTruncatesAnExistingFile() throws {
        let server = try HTTPClientTestServer()
        let directory = try HTTPClientTestFiles.makeDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = try HTTPClientTestFiles.writeFile(in: directory, name: "old.bin", size: 5000, seed: 1)
        let request = HTTPClientRequest(method: "GET", url: server.baseURL + "/large?size=100")

        _ = try HTTPClient().download(request, to: path)

        let contents = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(contents.count == 100)
        #expect(HTTPClientTestFiles.isLargePattern(contents))
    }

    @Test func downloadOfAnErrorStatusReturnsTheBodyAndLeavesTheFileAlone() throws {
        let server = try HTTPClientTestServer()
        let directory = try HTTPClientTestFiles.makeDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = try HTTPClientTestFiles.writeFile(in: directory, name: "keep.bin", size: 64, seed: 2)
        let request = HTTPClientRequest(method: "GET", url: server.baseURL + "/missing")

        let response = try HTTPClient().download(request, to: path)

        #expect(response.status == 404)
        #expect(String(decoding: response.body, as: UTF8.self).contains("not_found"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)).count == 64)
    }

    @Test func downloadIntoAMissingDirectoryThrowsIO() throws {
        let server = try HTTPClientTestServer()
        let request = HTTPClientRequest(method: "GET", url: server.baseURL + "/large?size=10")

        let error = #expect(throws: HTTPClientError.self) {
            try HTTPClient().download(request, to: "/nonexistent-dir-\(UUID().uuidString)/file")
        }

        #expect(error?.code == .io)
        #expect(error?.reason.contains("cannot create") == true)
    }

    @Test func streamHandsOverEveryChunkInOrder() throws {
        let server = try HTTPClientTestServer()
        let request = HTTPClientRequest(method: "GET", url: server.baseURL + "/chunks?count=5&size=1000")
        var received: [UInt8] = []

        let response = try HTTPClient().stream(request) { chunk in
            received.append(contentsOf: chunk)
            return true
        }

        #expect(response.status == 200)
        #expect(response.body.isEmpty)
        let expected = (0..<5).flatMap { [UInt8](repeating: UInt8(65 + $0), count: 1000) }
        #expect(received == expected)
    }

    @Test func streamStopsQuietlyWhenTheHandlerReturnsFalse() throws {
        let server = try HTTPClientTestServer()
        let request = HTTPClientRequest(method: "GET", url: server.baseURL + "/chunks?count=50&size=1000")
        var calls = 0

        let response = try HTTPClient().stream(request) { _ in
            calls += 1
            return false
        }

        #expect(response.status == 200)
        #expect(calls == 1)
    }
}
