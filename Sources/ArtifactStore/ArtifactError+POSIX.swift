import Glibc

extension ArtifactError {
    /// A failed system call, with errno read at once: a full disk is `insufficientStorage`.
    static func system(_ action: String, file: String = #fileID, line: Int = #line) -> ArtifactError {
        let number = errno
        let text = String(cString: strerror(number))
        let code: Code = number == ENOSPC || number == EDQUOT ? .insufficientStorage : .storage
        return ArtifactError(code, "cannot \(action): \(text)", file: file, line: line)
    }
}
