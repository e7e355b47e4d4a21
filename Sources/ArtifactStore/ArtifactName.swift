/// The rules for artifact names and for the pipeline and job ids stored beside them.
public enum ArtifactName {
    /// The longest name, in UTF-8 bytes.
    public static let maxBytes = 255

    /// Checks `name`: 1 to 255 bytes of UTF-8 without control characters, `/`-separated segments
    /// that are neither empty nor `.` or `..`, no space at either end.
    ///
    /// Names are also used in authorization paths (`artifacts/<name>`), so nothing ambiguous passes.
    public static func validate(_ name: String) throws(ArtifactError) {
        guard (1...maxBytes).contains(name.utf8.count) else {
            throw ArtifactError(.invalidName, "an artifact name is 1 to \(maxBytes) bytes long")
        }
        let hasControl = name.unicodeScalars.contains { $0.value < 0x20 || (0x7f...0x9f).contains($0.value) }
        guard !hasControl else {
            throw ArtifactError(.invalidName, "an artifact name may not contain control characters")
        }
        guard name.first != " ", name.last != " " else {
            throw ArtifactError(.invalidName, "an artifact name may not begin or end with a space")
        }
        for segment in name.split(separator: "/", omittingEmptySubsequences: false) {
            guard !segment.isEmpty, segment != ".", segment != ".." else {
                throw ArtifactError(
                    .invalidName, "an artifact name's '/'-separated parts may not be empty, '.' or '..'")
            }
        }
    }

    /// Checks a pipeline or job id: 1 to 128 of `A-Z a-z 0-9 . _ : -`.
    public static func validateReference(_ value: String, field: String) throws(ArtifactError) {
        let allowed = value.utf8.allSatisfy { byte in
            (0x30...0x39).contains(byte) || (0x41...0x5a).contains(byte) || (0x61...0x7a).contains(byte)
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ":")
                || byte == UInt8(ascii: "-")
        }
        guard (1...128).contains(value.utf8.count), allowed else {
            throw ArtifactError(.invalidInput, "\(field) is 1 to 128 of the characters A-Z a-z 0-9 . _ : -")
        }
    }

    /// The name a file of an upload is stored under.
    ///
    /// One file takes `requested` as is; several files take `requested/filename`; without a
    /// requested name the file name alone. A file name is reduced to its last path component,
    /// since browsers and some clients send a whole path.
    static func resolve(requested: String?, filename: String?, fileCount: Int) throws(ArtifactError) -> String {
        let base = filename.map(lastComponent)
        let name: String
        switch (requested, base) {
        case (let requested?, _) where fileCount == 1:
            name = requested
        case (let requested?, let base?):
            name = requested + "/" + base
        case (nil, let base?):
            name = base
        case (_, nil):
            throw ArtifactError(
                .invalidName, "a file part without a file name needs the 'name' field (and only one file then)")
        }
        try validate(name)
        return name
    }

    private static func lastComponent(_ filename: String) -> String {
        let parts = filename.split(whereSeparator: { $0 == "/" || $0 == "\\" })
        return parts.last.map(String.init) ?? filename
    }
}
