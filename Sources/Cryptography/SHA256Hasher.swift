import COpenSSL

/// An incremental SHA-256 computation that owns its `EVP_MD_CTX`.
///
/// Built for long streams: `update` allocates nothing and hands
/// the bytes straight to OpenSSL. Not thread-safe; use one hasher per stream.
public final class SHA256Hasher {
    private let handle: OpaquePointer

    /// Starts an empty hash.
    public init() throws(CryptoError) {
        guard let handle = EVP_MD_CTX_new() else {
            throw CryptoError.library("EVP_MD_CTX_new could not allocate a digest context.")
        }
        self.handle = handle
        try start()
    }

    deinit {
        EVP_MD_CTX_free(handle)
    }

    /// Adds `bytes` to the hash.
    public func update(_ bytes: UnsafeRawBufferPointer) {
        guard let start = bytes.baseAddress, !bytes.isEmpty else { return }
        let result = EVP_DigestUpdate(handle, start, bytes.count)
        // Updating a live SHA-256 context has no failure mode short of memory corruption.
        precondition(result == 1, "EVP_DigestUpdate failed: \(CryptoError.drainErrorQueue())")
    }

    /// Adds the bytes of `bytes` to the hash.
    public func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// Returns the 32-byte digest of everything added, then resets the hasher to empty.
    public func finalize() -> [UInt8] {
        var length: UInt32 = 0
        let digest = [UInt8](unsafeUninitializedCapacity: SHA256.digestSize) { buffer, initialized in
            let result = EVP_DigestFinal_ex(handle, buffer.baseAddress, &length)
            precondition(result == 1, "EVP_DigestFinal_ex failed: \(CryptoError.drainErrorQueue())")
            initialized = Int(length)
        }
        do {
            try start()
        } catch {
            preconditionFailure("SHA-256 could not restart: \(error)")
        }
        return digest
    }

    private func start() throws(CryptoError) {
        guard EVP_DigestInit_ex(handle, EVP_sha256(), nil) == 1 else {
            throw CryptoError.library("EVP_DigestInit_ex could not start SHA-256.")
        }
    }
}
