import Cryptography
import Foundation
import TestSupport
import Testing

@testable import Vault

@Suite struct AuditLogTests {
    private func writeLog(_ directory: TemporaryDirectory, lines: Int) throws -> String {
        let path = directory.file("audit.log")
        let log = try AuditLog(path: path, key: SecretBytes(Array(repeating: 7, count: 32)), syncInterval: nil)
        for index in 0..<lines {
            try log.append([AuditField("type", .string("request")), AuditField("n", .integer(Int64(index)))])
        }
        return path
    }

    private func lines(_ path: String) throws -> [String] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
    }

    private func store(_ lines: [String], at path: String) throws {
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
    }

    @Test func untouchedLogVerifies() throws {
        let directory = TemporaryDirectory()
        let path = try writeLog(directory, lines: 6)
        #expect(try AuditVerifier.verify(fileAt: path) == .intact(lines: 6))
    }

    @Test func reopenedLogContinuesTheChain() throws {
        let directory = TemporaryDirectory()
        _ = try writeLog(directory, lines: 3)
        let path = try writeLog(directory, lines: 4)
        #expect(try AuditVerifier.verify(fileAt: path) == .intact(lines: 7))
    }

    @Test(arguments: [1, 3, 5])
    func oneChangedCharacterIsNamed(_ line: Int) throws {
        let directory = TemporaryDirectory()
        let path = try writeLog(directory, lines: 6)
        var content = try lines(path)
        content[line - 1] = content[line - 1].replacingOccurrences(of: "\"request\"", with: "\"requesT\"")
        try store(content, at: path)
        guard case .broken(let named, _) = try AuditVerifier.verify(fileAt: path) else {
            Issue.record("an edited line went unnoticed")
            return
        }
        #expect(named == line)
    }

    @Test func editedPrevFieldIsNamed() throws {
        let directory = TemporaryDirectory()
        let path = try writeLog(directory, lines: 5)
        var content = try lines(path)
        let target = content[2]
        let index = try #require(target.range(of: "\"prev\":\"")?.upperBound)
        let flipped: Character = target[index] == "0" ? "1" : "0"
        content[2] = target.replacingCharacters(in: index...index, with: String(flipped))
        try store(content, at: path)
        guard case .broken(let named, _) = try AuditVerifier.verify(fileAt: path) else {
            Issue.record("an edited prev hash went unnoticed")
            return
        }
        #expect(named == 3)
    }

    @Test func deletedLineIsNamed() throws {
        let directory = TemporaryDirectory()
        let path = try writeLog(directory, lines: 6)
        var content = try lines(path)
        content.remove(at: 2)
        try store(content, at: path)
        guard case .broken(let named, let reason) = try AuditVerifier.verify(fileAt: path) else {
            Issue.record("a deleted line went unnoticed")
            return
        }
        #expect(named == 3)
        #expect(reason.contains("removed"))
    }

    @Test func swappedLinesAreNamed() throws {
        let directory = TemporaryDirectory()
        let path = try writeLog(directory, lines: 6)
        var content = try lines(path)
        content.swapAt(3, 4)
        try store(content, at: path)
        guard case .broken(let named, _) = try AuditVerifier.verify(fileAt: path) else {
            Issue.record("swapped lines went unnoticed")
            return
        }
        #expect(named == 4)
    }

    @Test func digestsAreKeyedHMACs() throws {
        let key = SecretBytes(Array(repeating: 9, count: 32))
        let directory = TemporaryDirectory()
        let log = try AuditLog(path: directory.file("audit.log"), key: key, syncInterval: nil)
        let expected = "hmac-sha256:" + Hex.encode(HMACSHA256.authenticationCode(for: Array("s3cret".utf8), key: key))
        #expect(log.digest("s3cret") == expected)
        #expect(AuditLog.digest("s3cret", key: key) == expected)
        #expect(log.digest("s3cret") != AuditLog.digest("s3cret", key: SecretBytes(Array(repeating: 1, count: 32))))
    }

    @Test func keyFileIsCreatedOnceWithMode0600() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("audit.key")
        let first = try AuditLog.loadOrCreateKey(at: path)
        let second = try AuditLog.loadOrCreateKey(at: path)
        #expect(first == second)
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test func tornLastLineIsFinishedAndReported() throws {
        let directory = TemporaryDirectory()
        let path = try writeLog(directory, lines: 2)
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("{\"seq\":3,\"ti".utf8))
        try handle.close()
        _ = try writeLog(directory, lines: 1)
        guard case .broken(let named, _) = try AuditVerifier.verify(fileAt: path) else {
            Issue.record("a torn line went unnoticed")
            return
        }
        #expect(named == 3)
    }
}
