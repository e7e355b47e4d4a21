import COpenSSL

/// Cryptographically secure random bytes from OpenSSL's `RAND_bytes`.
public enum SecureRandom {
    /// Returns `count` random bytes, for nonces and other values that are not secret.
    ///
    /// Key material should come from ``SecretBytes/init(random:)`` instead, which never
    /// places the bytes in an array.
    public static func bytes(_ count: Int) throws(CryptoError) -> [UInt8] {
        guard count >= 0 else {
            throw CryptoError(.invalidInput, reason: "A negative number of random bytes was requested.")
        }
        var failure: CryptoError?
        let bytes = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            do throws(CryptoError) {
                try fill(UnsafeMutableRawBufferPointer(buffer))
            } catch {
                buffer.initialize(repeating: 0)
                failure = error
            }
            initialized = count
        }
        if let failure { throw failure }
        return bytes
    }

    /// Fills `buffer` with random bytes, in pieces small enough for `RAND_bytes`' `int` length.
    static func fill(_ buffer: UnsafeMutableRawBufferPointer) throws(CryptoError) {
        var offset = 0
        while offset < buffer.count {
            let length = min(buffer.count - offset, Int(Int32.max))
            let start = buffer.baseAddress!.advanced(by: offset).assumingMemoryBound(to: UInt8.self)
            guard RAND_bytes(start, Int32(length)) == 1 else {
                throw CryptoError.drained(.randomness, reason: "RAND_bytes could not produce random bytes.")
            }
            offset += length
        }
    }
}
