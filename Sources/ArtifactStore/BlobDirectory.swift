import Foundation
import Glibc

/// The files of the store: `blobs/sha256/<2 hex>/<hex>` and `tmp/` under the data directory.
///
/// A file appears under its digest only by `rename` of a complete, fsynced temporary file, so a
/// name in `blobs/` always stands for complete content.
struct BlobDirectory: Sendable {
    let blobsPath: String
    let temporaryPath: String

    init(root: String) throws(ArtifactError) {
        blobsPath = root + "/blobs/sha256"
        temporaryPath = root + "/tmp"
        for path in [root, root + "/blobs", blobsPath, temporaryPath] {
            guard mkdir(path, 0o700) == 0 || errno == EEXIST else {
                throw ArtifactError.system("create \(path)")
            }
        }
    }

    /// The path of the blob with `digest`.
    func path(of digest: BlobDigest) -> String {
        let hex = digest.hex
        return "\(blobsPath)/\(hex.prefix(2))/\(hex)"
    }

    /// Whether the blob's file exists.
    func contains(_ digest: BlobDigest) -> Bool {
        access(path(of: digest), F_OK) == 0
    }

    /// Creates a new, empty temporary file; returns its descriptor and path.
    func makeTemporaryFile() throws(ArtifactError) -> (descriptor: Int32, path: String) {
        let path = "\(temporaryPath)/upload-\(UUID().uuidString.lowercased())"
        let descriptor = Glibc.open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw ArtifactError.system("create a temporary file in \(temporaryPath)")
        }
        return (descriptor, path)
    }

    /// Renames a complete, synced temporary file into place; returns the shard directory to sync.
    func install(_ temporaryFile: String, as digest: BlobDigest) throws(ArtifactError) -> String {
        let shard = "\(blobsPath)/\(digest.hex.prefix(2))"
        if mkdir(shard, 0o700) == 0 {
            try BlobDirectory.syncDirectory(blobsPath)
        } else if errno != EEXIST {
            throw ArtifactError.system("create \(shard)")
        }
        guard rename(temporaryFile, path(of: digest)) == 0 else {
            throw ArtifactError.system("move an upload into \(shard)")
        }
        return shard
    }

    /// Makes a rename or a new entry in `path` durable.
    static func syncDirectory(_ path: String) throws(ArtifactError) {
        let descriptor = Glibc.open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw ArtifactError.system("open \(path)")
        }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else {
            throw ArtifactError.system("sync \(path)")
        }
    }

    /// Opens the blob for reading; returns the descriptor (the caller closes it) and the size.
    func open(_ digest: BlobDigest) throws(ArtifactError) -> (descriptor: Int32, size: Int64) {
        let descriptor = Glibc.open(path(of: digest), O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            if errno == ENOENT {
                throw ArtifactError(.notFound, "no blob \(digest)")
            }
            throw ArtifactError.system("open blob \(digest)")
        }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            let error = ArtifactError.system("stat blob \(digest)")
            close(descriptor)
            throw error
        }
        return (descriptor, Int64(status.st_size))
    }

    /// Removes the blob's file; a file already gone is fine.
    func remove(_ digest: BlobDigest) throws(ArtifactError) {
        guard unlink(path(of: digest)) == 0 || errno == ENOENT else {
            throw ArtifactError.system("remove blob \(digest)")
        }
    }

    /// Every file under `blobs/sha256`, with its name (a digest's hex if well formed) and age.
    func files() -> [(name: String, path: String, modifiedAt: Int64)] {
        let manager = FileManager.default
        var found: [(name: String, path: String, modifiedAt: Int64)] = []
        for shard in (try? manager.contentsOfDirectory(atPath: blobsPath)) ?? [] {
            let shardPath = blobsPath + "/" + shard
            for name in (try? manager.contentsOfDirectory(atPath: shardPath)) ?? [] {
                let path = shardPath + "/" + name
                var status = stat()
                guard stat(path, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else { continue }
                found.append((name, path, Int64(status.st_mtim.tv_sec)))
            }
        }
        return found
    }

    /// Removes every file in `tmp/`: uploads that were in progress when the server last stopped.
    func clearTemporaryFiles() throws(ArtifactError) -> Int {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: temporaryPath)
        } catch {
            throw ArtifactError(.storage, "cannot list \(temporaryPath)")
        }
        for name in names {
            guard unlink(temporaryPath + "/" + name) == 0 || errno == ENOENT else {
                throw ArtifactError.system("remove \(temporaryPath)/\(name)")
            }
        }
        return names.count
    }

    /// Bytes available to this process on the disk holding the store.
    func availableBytes() -> Int64? {
        var status = statvfs()
        guard statvfs(blobsPath, &status) == 0 else { return nil }
        return Int64(status.f_bavail) * Int64(status.f_frsize)
    }
}
