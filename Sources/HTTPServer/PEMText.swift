import Glibc

/// A NUL-terminated copy of PEM text that MHD reads while the daemon runs; the bytes are wiped
/// when released, since one of them is a private key.
final class PEMText {
    private let bytes: UnsafeMutableBufferPointer<CChar>

    init(_ text: String) {
        let utf8 = Array(text.utf8CString)
        bytes = UnsafeMutableBufferPointer<CChar>.allocate(capacity: utf8.count)
        _ = bytes.initialize(from: utf8)
    }

    deinit {
        if let base = bytes.baseAddress {
            explicit_bzero(base, bytes.count)
        }
        bytes.deallocate()
    }

    /// The text for an MHD option; valid as long as this object lives.
    var optionPointer: UnsafeMutableRawPointer? {
        UnsafeMutableRawPointer(bytes.baseAddress)
    }
}
