import Cryptography
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

extension AuditLog {
    /// Reads the installation's audit key from `path`, creating it (256 random bits, base64, mode 0600) if missing.
    ///
    /// The key is a file of its own in the data directory, beside `vault.db` and not beside the log,
    /// so that a moved or shipped audit log does not travel with the key that would let a reader test
    /// guesses against its digests.
    public static func loadOrCreateKey(at path: String) throws(VaultError) -> SecretBytes {
        if FileManager.default.fileExists(atPath: path) {
            return try readKey(at: path)
        }
        let key: SecretBytes
        do {
            key = try SecretBytes(random: 32)
        } catch {
            throw VaultError(.integrity, "no random bytes for the audit key: \(error.reason)")
        }
        let text = key.withUnsafeBytes { Data($0).base64EncodedString() } + "\n"
        let temporary = path + ".tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw VaultError(.auditUnavailable, "cannot create the audit key \(path): \(errorText())")
        }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        let synced = fsync(descriptor) == 0
        close(descriptor)
        guard written == bytes.count, synced, rename(temporary, path) == 0 else {
            unlink(temporary)
            throw VaultError(.auditUnavailable, "cannot write the audit key \(path)")
        }
        return key
    }

    /// Reads an existing audit key file: base64 of 32 bytes.
    public static func readKey(at path: String) throws(VaultError) -> SecretBytes {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8),
            let bytes = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)), bytes.count == 32
        else {
            throw VaultError(.auditUnavailable, "the audit key \(path) is unreadable or not 32 base64-encoded bytes")
        }
        return SecretBytes(Array(bytes))
    }

    /// `hmac-sha256:<hex>` of `text` under `key`, as the log would show it; for `vaultctl audit hash`.
    public static func digest(_ text: String, key: SecretBytes) -> String {
        digestPrefix + Hex.encode(HMACSHA256.authenticationCode(for: Array(text.utf8), key: key))
    }
}
