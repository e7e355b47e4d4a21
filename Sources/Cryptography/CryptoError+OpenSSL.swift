import COpenSSL

extension CryptoError {
    /// Makes a `.library` error carrying the thread's drained OpenSSL error queue.
    static func library(_ reason: String, file: String = #fileID, line: Int = #line) -> CryptoError {
        CryptoError(.library, reason: reason, libraryErrors: drainErrorQueue(), file: file, line: line)
    }

    /// Makes an error of any code carrying the drained OpenSSL error queue.
    static func drained(
        _ code: Code,
        reason: String,
        file: String = #fileID,
        line: Int = #line
    ) -> CryptoError {
        CryptoError(code, reason: reason, libraryErrors: drainErrorQueue(), file: file, line: line)
    }

    /// Empties this thread's OpenSSL error queue, returning each entry's text oldest first.
    ///
    /// Draining matters even when the text is not wanted: a stale entry would otherwise be
    /// reported against the next, unrelated failure on the same thread.
    static func drainErrorQueue() -> [String] {
        var messages: [String] = []
        while true {
            let code = ERR_get_error()
            guard code != 0 else { return messages }
            messages.append(errorText(code))
        }
    }

    private static func errorText(_ code: UInt) -> String {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: 256) { buffer in
            buffer.initialize(repeating: 0)
            ERR_error_string_n(code, buffer.baseAddress, buffer.count)
            return String(cString: buffer.baseAddress!)
        }
    }
}
