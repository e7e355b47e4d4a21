import Foundation
import HTTPServer
import Logging
import Synchronization
import Testing

/// Helpers for the HTTPServer tests, in one namespace so they cannot clash with other suites.
enum HTTPServerFixture {
    /// A responder made of a closure, for tests.
    struct Responder: HTTPResponder {
        let body: @Sendable (HTTPRequestHead) -> HTTPRoute

        init(_ body: @escaping @Sendable (HTTPRequestHead) -> HTTPRoute) {
            self.body = body
        }

        func route(_ head: HTTPRequestHead) -> HTTPRoute {
            body(head)
        }
    }

    /// A value shared between a test and the server's threads.
    final class Shared<Value: Sendable>: Sendable {
        private let storage: Mutex<Value>

        init(_ value: Value) {
            storage = Mutex(value)
        }

        var value: Value {
            storage.withLock { $0 }
        }

        func update(_ change: (inout Value) -> Void) {
            storage.withLock { change(&$0) }
        }
    }

    /// What curl reported for one request.
    struct CurlResult {
        var exitCode: Int32
        var status: Int
        var headers: [String: String]
        var body: Data

        /// The `error.code` of a JSON error body.
        var errorCode: String? {
            let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any]
            return (object?["error"] as? [String: Any])?["code"] as? String
        }
    }

    /// A curl process started in the background.
    final class CurlProcess {
        let process = Process()
        private let directory: URL

        init(_ arguments: [String]) throws {
            directory = try HTTPServerFixture.temporaryDirectory()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
            process.arguments =
                [
                    "--silent", "--show-error", "--max-time", "60",
                    "--output", directory.appendingPathComponent("body").path,
                    "--dump-header", directory.appendingPathComponent("headers").path,
                    "--write-out", "%{http_code}",
                ] + arguments
            process.standardOutput = Pipe()
            process.standardError = FileHandle.nullDevice
            try process.run()
        }

        deinit {
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            try? FileManager.default.removeItem(at: directory)
        }

        /// Waits for curl to exit and reads what it wrote.
        func result() throws -> CurlResult {
            let output = (process.standardOutput as? Pipe)?.fileHandleForReading.readDataToEndOfFile() ?? Data()
            process.waitUntilExit()
            let status = Int(String(decoding: output, as: UTF8.self)) ?? 0
            let body = (try? Data(contentsOf: directory.appendingPathComponent("body"))) ?? Data()
            let headerText =
                (try? String(contentsOf: directory.appendingPathComponent("headers"), encoding: .utf8)) ?? ""
            var headers: [String: String] = [:]
            for line in headerText.split(whereSeparator: \.isNewline) {
                guard let colon = line.firstIndex(of: ":") else { continue }
                let name = line[..<colon].lowercased()
                headers[name] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
            return CurlResult(exitCode: process.terminationStatus, status: status, headers: headers, body: body)
        }
    }

    /// Runs curl to completion.
    static func curl(_ arguments: [String]) throws -> CurlResult {
        try CurlProcess(arguments).result()
    }

    /// A fresh temporary directory.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("httpserver-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Deterministic bytes that differ at every position in a 256-byte window.
    static func patternBytes(count: Int, seed: Int = 7) -> [UInt8] {
        // A prime-sized block repeated: cheap to build in debug builds, and no power-of-two period.
        let block = (0..<65521).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ ($0 >> 11) &+ seed) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count)
        while bytes.count < count {
            bytes.append(contentsOf: block.prefix(count - bytes.count))
        }
        return bytes
    }

    /// An order-sensitive checksum (Fletcher style, wrapping), to compare bodies without crypto.
    struct Checksum: Equatable, Sendable {
        private(set) var byteCount: Int = 0
        private var sum = UInt64(0)
        private var weighted = UInt64(0)

        mutating func add(_ bytes: UnsafeRawBufferPointer) {
            for byte in bytes {
                sum &+= UInt64(byte)
                weighted &+= sum
            }
            byteCount += bytes.count
        }
    }

    /// Starts a server on 127.0.0.1 port 0, runs `body`, then stops it.
    static func withServer(
        _ configuration: HTTPServerConfiguration = HTTPServerConfiguration(
            host: "127.0.0.1", port: 0, workerThreads: 2),
        responder: any HTTPResponder, _ body: (HTTPServer, String) throws -> Void
    ) throws {
        let server = try HTTPServer(
            configuration: configuration, responder: responder, logger: Logger(label: "http", sink: .memory()))
        try server.start()
        defer { server.stop(graceSeconds: 1) }
        let scheme = configuration.tlsCertificatePEM == nil ? "http" : "https"
        try body(server, "\(scheme)://127.0.0.1:\(server.port)")
    }

    /// Waits up to `seconds` for `semaphore`; true when signalled in time.
    static func wait(_ semaphore: DispatchSemaphore, seconds: Double) -> Bool {
        semaphore.wait(timeout: .now() + seconds) == .success
    }

    /// Sends `request` over a plain TCP connection to 127.0.0.1 and reads until the server closes.
    static func rawExchange(port: UInt16, request: String) throws -> [UInt8] {
        let socketDescriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(socketDescriptor >= 0)
        defer { close(socketDescriptor) }

        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(socketDescriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        try #require(connected == 0)

        let bytes = Array(request.utf8)
        let sent = bytes.withUnsafeBytes { send(socketDescriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        try #require(sent == bytes.count)

        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let received = buffer.withUnsafeMutableBytes { recv(socketDescriptor, $0.baseAddress, $0.count, 0) }
            guard received > 0 else { break }
            response.append(contentsOf: buffer[0..<received])
        }
        return response
    }
}
