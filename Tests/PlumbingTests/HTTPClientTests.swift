import Foundation
import HTTPClient
import Synchronization
import Testing

@Suite("HTTPClient requests")
struct HTTPClientTests {
    @Test func postRoundTripsStatusHeadersAndBody() throws {
        let server = try HTTPClientTestServer()
        let request = HTTPClientRequest(
            method: "POST",
            url: server.baseURL + "/echo?status=201",
            headers: [("X-Request-Tag", "abc 123"), ("Content-Type", "application/json")],
            body: .bytes(Array("{\"value\": 1}".utf8))
        )

        let response = try HTTPClient().send(request)

        #expect(response.status == 201)
        #expect(response.header("x-echo-method") == "POST")
        #expect(response.header("CONTENT-TYPE") == "application/json")
        #expect(response.headers.filter { $0.0 == "X-Repeat" }.map(\.1) == ["one", "two"])
        let echo = try HTTPClientTestFiles.object(response.body)
        #expect(echo["method"] as? String == "POST")
        #expect(echo["bodySize"] as? Int == 12)
        let headers = try #require(echo["headers"] as? [String: String])
        #expect(headers["x-request-tag"] == "abc 123")
        #expect(headers["user-agent"] == "vaultctl")
        #expect(headers["expect"] == nil)
    }

    @Test func getReturnsLargeBodyInMemory() throws {
        let server = try HTTPClientTestServer()
        let request = HTTPClientRequest(method: "GET", url: server.baseURL + "/large?size=1000003")

        let response = try HTTPClient().send(request)

        #expect(response.status == 200)
        #expect(response.body.count == 1_000_003)
        #expect(HTTPClientTestFiles.isLargePattern(Data(response.body)))
    }

    @Test func fileBodyIsStreamedWithContentLengthAndMatchingChecksum() throws {
        let server = try HTTPClientTestServer()
        let directory = try HTTPClientTestFiles.makeDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let size = 3 * 1024 * 1024 + 7
        let path = try HTTPClientTestFiles.writeFile(in: directory, name: "body.bin", size: size, seed: 5)
        let request = HTTPClientRequest(method: "PUT", url: server.baseURL + "/echo", body: .file(path: path))

        let response = try HTTPClient().send(request)

        let echo = try HTTPClientTestFiles.object(response.body)
        let headers = try #require(echo["headers"] as? [String: String])
        #expect(response.status == 200)
        #expect(echo["method"] as? String == "PUT")
        #expect(headers["content-length"] == String(size))
        #expect(echo["bodySize"] as? Int == size)
        #expect(echo["sha256"] as? String == (try HTTPClientTestFiles.sha256(ofFile: path)))
    }

    @Test func postWithoutBodySendsContentLengthZero() throws {
        let server = try HTTPClientTestServer()
        let request = HTTPClientRequest(method: "POST", url: server.baseURL + "/echo")

        let response = try HTTPClient().send(request)

        let echo = try HTTPClientTestFiles.object(response.body)
        let headers = try #require(echo["headers"] as? [String: String])
        #expect(headers["content-length"] == "0")
        #expect(echo["bodySize"] as? Int == 0)
    }

    @Test func headReturnsHeadersWithoutWaitingForABody() throws {
        let server = try HTTPClientTestServer()
        var request = HTTPClientRequest(method: "HEAD", url: server.baseURL + "/echo")
        request.timeoutSeconds = 10

        let response = try HTTPClient().send(request)

        #expect(response.status == 200)
        #expect(response.header("X-Echo-Method") == "HEAD")
        #expect(response.body.isEmpty)
    }

    @Test func deleteUsesTheGivenMethod() throws {
        let server = try HTTPClientTestServer()
        let request = HTTPClientRequest(method: "DELETE", url: server.baseURL + "/echo")

        let response = try HTTPClient().send(request)

        #expect(response.header("X-Echo-Method") == "DELETE")
    }

    @Test func progressReportsEveryUploadedByte() throws {
        let server = try HTTPClientTestServer()
        let body = [UInt8](repeating: 7, count: 2 * 1024 * 1024)
        let request = HTTPClientRequest(method: "PUT", url: server.baseURL + "/echo", body: .bytes(body))
        let reports = Mutex<[TransferProgress]>([])

        _ = try HTTPClient().send(request) { progress in
            reports.withLock { $0.append(progress) }
        }

        let last = try #require(reports.withLock { $0.last })
        #expect(last.uploadedBytes == Int64(body.count))
        #expect(last.uploadTotal == Int64(body.count))
    }

    @Test func manyThreadsCanShareOneClient() throws {
        let server = try HTTPClientTestServer()
        let client = HTTPClient()
        let baseURL = server.baseURL
        let statuses = Mutex<[Int]>([])

        DispatchQueue.concurrentPerform(iterations: 12) { index in
            let request = HTTPClientRequest(method: "GET", url: baseURL + "/echo?status=\(200 + index)")
            let status = (try? client.send(request).status) ?? -1
            statuses.withLock { $0.append(status) }
        }

        #expect(statuses.withLock { $0.sorted() } == Array(200..<212))
    }
}
