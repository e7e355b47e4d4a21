import Foundation

/// Finds the files of a workspace that match an artifact glob, without leaving the workspace.
///
/// The walk never follows a symbolic link into a directory. A link to a regular file is taken only
/// when its target lies inside the workspace; others are reported. `.git` and the runner's own
/// directory (which holds the secret files) are never searched.
struct ArtifactCollector: Sendable {
    /// A file to upload: its path relative to the workspace and the real path to read.
    struct Match: Sendable, Equatable {
        let relativePath: String
        let path: String
    }

    /// What one glob found.
    struct Result: Sendable, Equatable {
        var matches: [Match] = []
        /// Links that matched but lead outside the workspace (or to something other than a file).
        var refusedLinks: [String] = []
    }

    /// The most directory entries one walk looks at.
    static let entryLimit = 200_000
    static let skippedDirectories: Set<String> = [".git", JobWorkspace.runnerDirectory]

    let root: String

    /// The files matching `glob`, sorted by relative path.
    func collect(_ glob: ArtifactGlob) -> Result {
        var result = Result()
        guard let realRoot = Self.realPath(root) else { return result }
        var pending = [""]
        var seen = 0
        while let directory = pending.popLast(), seen < Self.entryLimit {
            let absolute = directory.isEmpty ? root : root + "/" + directory
            let entries = ((try? FileManager.default.contentsOfDirectory(atPath: absolute)) ?? []).sorted()
            for entry in entries {
                seen += 1
                let relative = directory.isEmpty ? entry : directory + "/" + entry
                if directory.isEmpty, Self.skippedDirectories.contains(entry) { continue }
                var info = stat()
                guard lstat(root + "/" + relative, &info) == 0 else { continue }
                switch info.st_mode & S_IFMT {
                case S_IFDIR:
                    pending.append(relative)
                case S_IFREG where glob.matches(relative):
                    result.matches.append(Match(relativePath: relative, path: root + "/" + relative))
                case S_IFLNK where glob.matches(relative):
                    if let target = Self.linkedFile(root + "/" + relative, inside: realRoot) {
                        result.matches.append(Match(relativePath: relative, path: target))
                    } else {
                        result.refusedLinks.append(relative)
                    }
                default:
                    continue
                }
            }
        }
        result.matches.sort { $0.relativePath < $1.relativePath }
        result.refusedLinks.sort()
        return result
    }

    /// The target of a link when it is a regular file inside the workspace, outside the runner's directory.
    private static func linkedFile(_ path: String, inside realRoot: String) -> String? {
        guard let target = realPath(path), target.hasPrefix(realRoot + "/") else { return nil }
        let inner = target.dropFirst(realRoot.count + 1)
        if let first = inner.split(separator: "/").first, skippedDirectories.contains(String(first)) { return nil }
        var info = stat()
        guard stat(target, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return target
    }

    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
