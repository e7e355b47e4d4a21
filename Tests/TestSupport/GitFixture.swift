import Foundation

/// A real Git repository holding a pipeline file, made with the `git` binary.
public enum GitFixture {
    /// Creates a repository at `path` with `.vault-ci.yml` and `extraFiles`; returns the commit id.
    public static func repository(at path: String, pipeline: String, extraFiles: [String: String] = [:]) throws
        -> String
    {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try git(["init", "-q", "-b", "main"], in: path)
        try pipeline.write(toFile: path + "/.vault-ci.yml", atomically: true, encoding: .utf8)
        for (name, text) in extraFiles {
            try text.write(toFile: path + "/" + name, atomically: true, encoding: .utf8)
        }
        try git(["add", "."], in: path)
        try git(
            ["-c", "user.name=test", "-c", "user.email=test@example.invalid", "commit", "-q", "-m", "pipeline"],
            in: path)
        return try git(["rev-parse", "HEAD"], in: path).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @discardableResult
    public static func git(_ arguments: [String], in directory: String) throws -> String {
        let result = try CommandRunner.run("/usr/bin/git", ["-C", directory] + arguments)
        guard result.exitCode == 0 else {
            throw GitFailure(message: "git \(arguments.first ?? "") failed: \(result.standardError)")
        }
        return result.standardOutput
    }
}

/// curl with a JSON answer.
public enum Curl {
    /// The status and the JSON object of an answer.
    public struct Answer {
        public let status: Int
        public let object: [String: Any]
    }

    public static func json(
        _ method: String, _ url: String, token: String? = nil, body: String? = nil, headers: [String] = []
    )
        throws -> Answer
    {
        var arguments = ["-s", "-o", "-", "-w", "\n%{http_code}", "-X", method]
        if let token { arguments += ["-H", "Authorization: Bearer \(token)"] }
        for header in headers { arguments += ["-H", header] }
        if body != nil { arguments += ["-H", "Content-Type: application/json", "--data-binary", "@-"] }
        arguments.append(url)
        let result = try CommandRunner.run("/usr/bin/curl", arguments, input: body.map { Data($0.utf8) })
        let lines = result.standardOutput.split(separator: "\n", omittingEmptySubsequences: false)
        let status = Int(lines.last ?? "") ?? 0
        let text = lines.dropLast().joined(separator: "\n")
        let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
        return Answer(status: status, object: object)
    }
}

/// A git command in a test fixture failed.
public struct GitFailure: Error {
    public let message: String
}
