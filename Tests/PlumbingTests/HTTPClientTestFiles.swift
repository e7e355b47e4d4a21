import Foundation

/// Temporary files and small helpers for the HTTPClient tests.
enum HTTPClientTestFiles {
    /// A fresh directory of its own for one test.
    static func makeDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("httpclient-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Writes `size` bytes derived from `seed` to `name` in `directory` and returns the path.
    static func writeFile(in directory: URL, name: String, size: Int, seed: UInt8) throws -> String {
        let bytes = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ Int(seed)) }
        let url = directory.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    /// The SHA-256 of a file as computed by coreutils' `sha256sum`, independently of the server.
    static func sha256(ofFile path: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sha256sum", path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).split(separator: " ").first.map(String.init) ?? ""
    }

    /// A JSON object from a response body.
    static func object(_ body: [UInt8]) throws -> [String: Any] {
        let value = try JSONSerialization.jsonObject(with: Data(body))
        return value as? [String: Any] ?? [:]
    }

    /// The bytes `/large` serves: byte `i` is `i % 251`.
    static func isLargePattern(_ bytes: Data) -> Bool {
        bytes.withUnsafeBytes { buffer in
            var expected: UInt8 = 0
            for byte in buffer {
                guard byte == expected else {
                    return false
                }
                expected = expected == 250 ? 0 : expected + 1
            }
            return true
        }
    }
}
