import ArtifactStore
import Foundation
import HTTPServer
import Vault

extension BlobRoutes {
    /// What a `Range` header asks of a blob (RFC 9110 §14): one range, or the whole blob.
    enum ByteRange: Equatable {
        case full
        /// Inclusive byte positions.
        case partial(start: UInt64, end: UInt64)
        case unsatisfiable

        /// Reads `bytes=a-b`, `bytes=a-` or `bytes=-n`. A header that cannot be read, another unit
        /// or several ranges ask for the whole blob, as the RFC lets a server answer.
        static func parse(_ header: String?, size: UInt64) -> ByteRange {
            guard let header, header.lowercased().hasPrefix("bytes=") else { return .full }
            let spec = header.dropFirst(6).trimmingCharacters(in: .whitespaces)
            guard !spec.contains(","), let dash = spec.firstIndex(of: "-") else { return .full }
            let first = spec[..<dash]
            let last = spec[spec.index(after: dash)...]
            guard first.allSatisfy(\.isASCIIDigit), last.allSatisfy(\.isASCIIDigit) else { return .full }
            if first.isEmpty {
                guard let count = UInt64(last) else { return .full }
                guard count > 0, size > 0 else { return .unsatisfiable }
                return .partial(start: size - min(count, size), end: size - 1)
            }
            guard let start = UInt64(first) else { return .full }
            let end = last.isEmpty ? UInt64.max : UInt64(last) ?? UInt64.max
            guard start <= end else { return .full }
            guard start < size else { return .unsatisfiable }
            return .partial(start: start, end: min(end, size - 1))
        }

        /// Whether an `If-None-Match` list names `etag` (weak comparison) or is `*`.
        static func matches(_ header: String?, etag: String) -> Bool {
            guard let header else { return false }
            for candidate in header.split(separator: ",") {
                var tag = candidate.trimmingCharacters(in: .whitespaces)
                if tag == "*" { return true }
                if tag.hasPrefix("W/") { tag.removeFirst(2) }
                if tag == etag { return true }
            }
            return false
        }
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool {
        isASCII && isWholeNumber
    }
}
