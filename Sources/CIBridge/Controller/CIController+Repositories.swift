import Database

extension CIController {
    /// Registers or updates a repository; a secret given as nil keeps the stored one.
    public func putRepository(
        name: String, cloneURL: String, webhookSecret: [UInt8]?, status: StatusTarget, statusToken: [UInt8]?
    ) throws(CIError) {
        try CIController.validateRepositoryName(name)
        guard !cloneURL.isEmpty, cloneURL.count <= 2048, !cloneURL.hasPrefix("-"),
            cloneURL.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7f })
        else {
            throw CIError(.invalidInput, "clone_url must be a URL or path without spaces, at most 2048 characters")
        }
        if status.kind != .none {
            guard let url = status.url, url.hasPrefix("http://") || url.hasPrefix("https://") else {
                throw CIError(
                    .invalidInput, "status.url must be an http or https URL for the \(status.kind.rawValue) kind")
            }
        }
        if let webhookSecret {
            guard webhookSecret.count >= 8 else {
                throw CIError(.invalidInput, "a webhook secret is at least 8 bytes")
            }
            try storeSecret(webhookSecret, name, RepositorySecretName.webhookSecret)
        }
        if let statusToken {
            try storeSecret(statusToken, name, RepositorySecretName.statusToken)
        }
        let time = now
        try write { connection in
            try connection.run(
                """
                INSERT INTO ci_repos (name, clone_url, status_kind, status_url, created_at, updated_at)
                VALUES (?1, ?2, ?3, ?4, ?5, ?5)
                ON CONFLICT (name) DO UPDATE SET clone_url = ?2, status_kind = ?3, status_url = ?4, updated_at = ?5
                """, .text(name), .text(cloneURL), .text(status.kind.rawValue), .optional(status.url), .integer(time))
        }
    }

    /// Every registered repository, by name.
    public func repositories() throws(CIError) -> [RepositoryInfo] {
        try read { connection in
            try connection.query(
                "SELECT name, clone_url, status_kind, status_url, created_at, updated_at FROM ci_repos ORDER BY name"
            ).map(CIController.repository)
        }
    }

    /// One repository.
    public func repository(_ name: String) throws(CIError) -> RepositoryInfo {
        let found = try read { connection in
            try connection.queryFirst(
                "SELECT name, clone_url, status_kind, status_url, created_at, updated_at FROM ci_repos WHERE name = ?",
                .text(name)
            ).map(CIController.repository)
        }
        guard let found else { throw CIError(.notFound, "no repository called \(name)") }
        return found
    }

    static func repository(_ row: Row) -> RepositoryInfo {
        RepositoryInfo(
            name: row.text(0) ?? "", cloneURL: row.text(1) ?? "",
            status: StatusTarget(kind: StatusTarget.Kind(rawValue: row.text(2) ?? "") ?? .none, url: row.text(3)),
            createdAt: row.int(4) ?? 0, updatedAt: row.int(5) ?? 0)
    }

    /// Names are `owner/name` paths of `[A-Za-z0-9._-]` segments, as Git providers spell them.
    static func validateRepositoryName(_ name: String) throws(CIError) {
        let segments = name.split(separator: "/", omittingEmptySubsequences: false)
        let valid =
            !name.isEmpty && name.count <= 200
            && segments.allSatisfy { segment in
                !segment.isEmpty && segment != "." && segment != ".."
                    && segment.utf8.allSatisfy { byte in
                        (byte >= 48 && byte <= 57) || (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122)
                            || byte == 45 || byte == 46 || byte == 95
                    }
            }
        guard valid else {
            throw CIError(.invalidInput, "a repository name is segments of [A-Za-z0-9._-] joined by '/'")
        }
    }

    private func storeSecret(_ value: [UInt8], _ repository: String, _ name: String) throws(CIError) {
        do {
            try secrets.storeSecret(value, repository: repository, name: name)
        } catch {
            throw CIError(.unavailable, "cannot store the \(name) of \(repository): \(error)")
        }
    }
}
