import Cryptography
import Foundation

/// The outcome of checking an audit log's chain.
public enum AuditVerification: Sendable, Equatable {
    /// Every line parses, counts on from the one before and carries its hash.
    case intact(lines: Int)
    /// The first line that cannot be trusted, counted from 1, and why.
    case broken(line: Int, reason: String)
}

/// Checks the hash chain of an audit log written by ``AuditLog``. Needs no key.
///
/// What it finds and whom it names: a line that is not an audit line, or whose `seq` does not follow
/// (a line deleted, inserted or moved before it), is named itself. A line whose `prev` does not match
/// the previous line's hash names the previous line when the chain goes on intact after the current
/// one (the previous line was edited), else the current line (its own `prev` was edited); on the last
/// line, where nothing follows, the previous line is named.
/// Known limit: an edit to the very last line, or deleting lines at the very end, leaves no later
/// line to notice it; keep a copy of the last line's hash elsewhere to cover the tail.
public enum AuditVerifier {
    /// Verifies the file at `path`, reading it line by line.
    public static func verify(fileAt path: String) throws(VaultError) -> AuditVerification {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw VaultError(.notFound, "cannot read the audit log \(path)")
        }
        // TODO: stream very large logs instead of reading them whole; fine up to a few hundred MiB.
        return verify(Array(data))
    }

    /// Verifies the bytes of a whole log.
    public static func verify(_ bytes: [UInt8]) -> AuditVerification {
        var lines = bytes.split(separator: 0x0a, omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }
        let parsed: [(sequence: Int64, previous: String)?] = lines.map(parse)
        var previousHash = Hex.encode(AuditTail.genesisHash)
        for index in lines.indices {
            let number = index + 1
            guard let entry = parsed[index] else {
                return .broken(line: number, reason: "not an audit line (not JSON with seq and prev)")
            }
            guard entry.sequence == Int64(number) else {
                return .broken(
                    line: number,
                    reason:
                        "expected sequence \(number), found \(entry.sequence): a line was removed, inserted or moved")
            }
            if entry.previous != previousHash {
                let currentHash = Hex.encode(SHA256.digest(Array(lines[index])))
                // On the last line nothing tells which of the two was edited; a changed body is the likelier.
                let isLast = index + 1 == lines.count
                let nextMatches = isLast || parsed[index + 1]?.previous == currentHash
                if nextMatches && number > 1 {
                    let alternative = isLast ? " (or line \(number)'s prev field was)" : ""
                    return .broken(
                        line: number - 1,
                        reason: "the line was changed\(alternative): line \(number) records a different hash for it")
                }
                return .broken(line: number, reason: "its prev hash does not match line \(number - 1)")
            }
            previousHash = Hex.encode(SHA256.digest(Array(lines[index])))
        }
        return .intact(lines: lines.count)
    }

    private static func parse(_ line: ArraySlice<UInt8>) -> (sequence: Int64, previous: String)? {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(line))) as? [String: Any],
            let sequence = object["seq"] as? NSNumber, let previous = object["prev"] as? String
        else { return nil }
        return (sequence.int64Value, previous)
    }
}
