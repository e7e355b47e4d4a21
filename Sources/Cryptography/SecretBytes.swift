import COpenSSL

/// Bytes of key material or plaintext, wiped with `OPENSSL_cleanse` when released.
///
/// The bytes live in memory this object allocates itself, never in an `Array`, so that no
/// copy the object does not know about is left behind. Instances are immutable.
public final class SecretBytes: @unchecked Sendable {
    // Immutable after init and only read through withUnsafeBytes, hence @unchecked Sendable.
    private let storage: UnsafeMutableRawBufferPointer

    /// Copies `bytes` into wipeable storage; the caller remains responsible for the array.
    public init(_ bytes: [UInt8]) {
        storage = Self.allocate(bytes.count)
        bytes.withUnsafeBytes { source in
            Self.copy(source, into: storage)
        }
    }

    /// Copies the bytes of `buffer` into wipeable storage.
    public init(copying buffer: UnsafeRawBufferPointer) {
        storage = Self.allocate(buffer.count)
        Self.copy(buffer, into: storage)
    }

    /// Makes `count` bytes from the operating system's secure random generator.
    public convenience init(random count: Int) throws(CryptoError) {
        try self.init(count: count) { (buffer) throws(CryptoError) in
            try SecureRandom.fill(buffer)
        }
    }

    /// Allocates `count` bytes and lets `body` write all of them.
    ///
    /// If `body` throws, the storage is wiped and freed before the error propagates, so a
    /// partly written plaintext does not outlive the failure.
    init(
        count: Int,
        initializingWith body: (UnsafeMutableRawBufferPointer) throws(CryptoError) -> Void
    ) throws(CryptoError) {
        guard count >= 0 else {
            throw CryptoError(.invalidInput, reason: "A secret cannot have a negative size.")
        }
        let buffer = Self.allocate(count)
        do throws(CryptoError) {
            try body(UnsafeMutableRawBufferPointer(rebasing: buffer[0..<count]))
        } catch {
            Self.release(buffer)
            throw error
        }
        storage = buffer
    }

    deinit {
        Self.release(storage)
    }

    /// The number of bytes.
    public var count: Int { storage.count }

    /// Lends the bytes to `body`; the pointer must not escape the closure.
    public func withUnsafeBytes<R, E: Error>(
        _ body: (UnsafeRawBufferPointer) throws(E) -> R
    ) throws(E) -> R {
        try body(UnsafeRawBufferPointer(storage))
    }

    /// Copies the bytes into an array that will not be wiped.
    ///
    /// Only for the few places that must hand bytes on, such as an HTTP response body;
    /// each caller documents why.
    public func copyBytes() -> [UInt8] {
        Array(UnsafeRawBufferPointer(storage))
    }

    private static func allocate(_ count: Int) -> UnsafeMutableRawBufferPointer {
        // A zero-byte allocation still gets a real address, so baseAddress is never nil.
        let memory = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1), alignment: 16)
        return UnsafeMutableRawBufferPointer(start: memory, count: count)
    }

    private static func copy(_ source: UnsafeRawBufferPointer, into target: UnsafeMutableRawBufferPointer) {
        guard !source.isEmpty else { return }
        target.copyMemory(from: source)
    }

    private static func release(_ buffer: UnsafeMutableRawBufferPointer) {
        OPENSSL_cleanse(buffer.baseAddress, buffer.count)
        buffer.baseAddress?.deallocate()
    }
}

extension SecretBytes: Equatable {
    /// Compares the bytes in constant time for a given length.
    public static func == (lhs: SecretBytes, rhs: SecretBytes) -> Bool {
        lhs.withUnsafeBytes { left in
            rhs.withUnsafeBytes { right in
                ConstantTime.equals(left, right)
            }
        }
    }
}

extension SecretBytes: CustomStringConvertible, CustomDebugStringConvertible {
    /// States the size only, so that interpolating a secret into a log line reveals nothing.
    public var description: String { "SecretBytes(\(count) bytes)" }

    /// The same redacted text as ``description``.
    public var debugDescription: String { description }
}
