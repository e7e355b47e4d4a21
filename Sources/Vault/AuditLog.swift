import Cryptography
import Dispatch
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The tamper-evident audit trail: one JSON line per event, each carrying the SHA-256 of the line before it.
///
/// Line format: `{"seq":N,"time":"…Z",<fields>,"prev":"<64 hex>"}`. `seq` counts lines from 1 and `prev`
/// is the hex SHA-256 of the previous line's bytes without its newline (64 zeros for the first line),
/// so an edited, deleted, inserted or moved line breaks the chain that ``AuditVerifier`` checks.
///
/// Secret values, tokens and lease ids go in only as ``digest(_:)``: `hmac-sha256:<hex>` under the
/// installation's audit key. The key lives in its own file (see ``loadOrCreateKey(at:)``), not in the
/// keyring, because lines are written while the vault is sealed too (the unseal request itself).
///
/// Durability: each line is one `write(2)` on an `O_APPEND` descriptor before the caller goes on, so a
/// crash of the server loses no line it acted on; the file is `fdatasync`ed by a timer every
/// `syncInterval` seconds and on close, so an operating-system crash may lose the lines of the last
/// interval. A failed or short write is rolled back with `ftruncate` and thrown as `audit_unavailable`.
public final class AuditLog: Sendable {
    private struct State {
        var descriptor: Int32
        var sequence: Int64
        var previousHash: [UInt8]
        var size: Int64
        var isDirty = false
    }

    /// The file the lines go to.
    public let path: String
    private let key: SecretBytes
    private let state: Mutex<State>
    private let syncTimer: SyncTimer?

    /// Opens (or creates, mode 0600) the log at `path` and continues the chain from its last line.
    ///
    /// Only the file's tail is read, so opening costs the same whatever the log's length.
    public init(path: String, key: SecretBytes, syncInterval: Double? = 1) throws(VaultError) {
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw VaultError(.auditUnavailable, "cannot open the audit log \(path): \(AuditLog.errorText())")
        }
        var tail: AuditTail
        do {
            tail = try AuditTail.read(path: path)
        } catch {
            close(descriptor)
            throw error
        }
        if tail.isTorn {
            // Finish the torn line so the next one starts on its own line; verify still reports it.
            _ = write(descriptor, [UInt8(0x0a)], 1)
            tail.size += 1
        }
        self.path = path
        self.key = key
        state = Mutex(
            State(descriptor: descriptor, sequence: tail.sequence, previousHash: tail.hash, size: tail.size))
        syncTimer = syncInterval.map { SyncTimer(interval: $0) }
        syncTimer?.start { [weak self] in self?.sync() }
    }

    deinit {
        syncTimer?.stop()
        state.withLock { state in
            if state.isDirty { fdatasync(state.descriptor) }
            close(state.descriptor)
        }
    }

    /// `hmac-sha256:<hex>` of `bytes` under the installation's audit key.
    public func digest(_ bytes: UnsafeRawBufferPointer) -> String {
        AuditLog.digestPrefix + Hex.encode(HMACSHA256.authenticationCode(for: bytes, key: key))
    }

    /// `hmac-sha256:<hex>` of the UTF-8 bytes of `text`.
    public func digest(_ text: String) -> String {
        Array(text.utf8).withUnsafeBytes { digest($0) }
    }

    /// The prefix of every digest in the log.
    public static let digestPrefix = "hmac-sha256:"

    /// Appends one line holding `fields` after `seq` and `time`; throws `audit_unavailable` when it cannot be written.
    public func append(_ fields: [AuditField], time: Date = Date()) throws(VaultError) {
        try state.withLock { (state) throws(VaultError) in
            let sequence = state.sequence + 1
            var line: [UInt8] = []
            line.reserveCapacity(512)
            let all =
                [AuditField("seq", .integer(sequence)), AuditField("time", .string(AuditLog.timestamp(time)))] + fields
                + [AuditField("prev", .string(Hex.encode(state.previousHash)))]
            AuditValue.renderObject(all, into: &line)
            let hash = SHA256.digest(line)
            line.append(0x0a)
            try AuditLog.writeAll(line, to: state.descriptor, rollingBackTo: state.size)
            state.sequence = sequence
            state.previousHash = hash
            state.size += Int64(line.count)
            state.isDirty = true
        }
    }

    /// Flushes written lines to the disk.
    public func sync() {
        state.withLock { state in
            guard state.isDirty else { return }
            if fdatasync(state.descriptor) == 0 { state.isDirty = false }
        }
    }

    private static func writeAll(_ line: [UInt8], to descriptor: Int32, rollingBackTo size: Int64) throws(VaultError) {
        let written = line.withUnsafeBytes { buffer -> Int in
            var offset = 0
            while offset < buffer.count {
                let result = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if result < 0, errno == EINTR { continue }
                guard result > 0 else { return result < 0 ? -Int(errno) : offset }
                offset += result
            }
            return offset
        }
        guard written == line.count else {
            let reason = written < 0 ? String(cString: strerror(Int32(-written))) : "short write"
            // A partial line would break the chain for every later line; cut it off again.
            ftruncate(descriptor, off_t(size))
            throw VaultError(.auditUnavailable, "the audit log cannot be written: \(reason)")
        }
    }

    /// `2025-01-02T03:04:05.678Z`, built by hand because it runs twice per request.
    static func timestamp(_ date: Date) -> String {
        let interval = date.timeIntervalSince1970
        var seconds = time_t(interval.rounded(.down))
        let millis = Int((interval - Double(seconds)) * 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(pad(Int32(millis), 3))Z"
    }

    static func errorText() -> String {
        String(cString: strerror(errno))
    }
}

/// Where the chain stands at the end of an existing log.
struct AuditTail {
    var sequence: Int64
    var hash: [UInt8]
    var size: Int64
    /// Whether the file ends inside a line.
    var isTorn = false

    static let genesisHash = [UInt8](repeating: 0, count: 32)

    /// Reads the last line of the file at `path`; an empty or missing file starts a new chain.
    ///
    /// A last line that is not an audit line (a torn write after a power loss) still chains: the next
    /// line's `prev` is its hash and its `seq` continues from 0, and `audit verify` reports the damage.
    static func read(path: String) throws(VaultError) -> AuditTail {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw VaultError(.auditUnavailable, "cannot read the audit log \(path)")
        }
        defer { try? handle.close() }
        let size = Int64((try? handle.seekToEnd()) ?? 0)
        guard size > 0 else { return AuditTail(sequence: 0, hash: genesisHash, size: 0) }
        var window: Int64 = 64 * 1024
        while true {
            let start = max(0, size - window)
            try? handle.seek(toOffset: UInt64(start))
            let bytes = Array((try? handle.readToEnd()) ?? Data())
            var body = bytes[...]
            let isTorn = body.last != 0x0a
            if !isTorn { body = body.dropLast() }
            if let newline = body.lastIndex(of: 0x0a) {
                return tail(of: Array(body[(newline + 1)...]), size: size, isTorn: isTorn)
            }
            if start == 0 { return tail(of: Array(body), size: size, isTorn: isTorn) }
            window *= 4
        }
    }

    private static func tail(of line: [UInt8], size: Int64, isTorn: Bool) -> AuditTail {
        let object = (try? JSONSerialization.jsonObject(with: Data(line))) as? [String: Any]
        let sequence = (object?["seq"] as? NSNumber)?.int64Value ?? 0
        return AuditTail(sequence: sequence, hash: SHA256.digest(line), size: size, isTorn: isTorn)
    }
}
