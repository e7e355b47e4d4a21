import Database

extension ArtifactStore {
    /// Artifacts matching `query`, newest first.
    public func artifacts(matching query: ArtifactQuery) throws(ArtifactError) -> [Artifact] {
        let now = nowSeconds
        let limit = Int64(max(1, min(query.limit, 1000)))
        let rows = try read { connection in
            try connection.query(
                """
                SELECT id, name, digest, size, filename, content_type, pipeline, job, created_at, expires_at
                FROM artifacts
                WHERE (?1 IS NULL OR name = ?1) AND (?2 IS NULL OR pipeline = ?2) AND (?3 IS NULL OR job = ?3)
                  AND (?4 = 1 OR expires_at IS NULL OR expires_at > ?5)
                ORDER BY seq DESC LIMIT ?6
                """, .optional(query.name), .optional(query.pipeline), .optional(query.job),
                .bool(query.includeExpired), .integer(now), .integer(limit))
        }
        return rows.compactMap(ArtifactStore.artifact(from:))
    }

    /// The artifact with `id`; throws `notFound`, or `expired` once its expiry has passed unless
    /// `includingExpired`.
    public func artifact(id: String, includingExpired: Bool = false) throws(ArtifactError) -> Artifact {
        let row = try read { connection in
            try connection.queryFirst(
                """
                SELECT id, name, digest, size, filename, content_type, pipeline, job, created_at, expires_at
                FROM artifacts WHERE id = ?
                """, .text(id))
        }
        let artifact = row.flatMap(ArtifactStore.artifact(from:))
        if includingExpired, let artifact {
            return artifact
        }
        return try live(artifact, "no artifact with id \(id)")
    }

    /// The newest artifact called `name`; throws `notFound`, or `expired` when the newest has expired.
    public func newestArtifact(named name: String) throws(ArtifactError) -> Artifact {
        try ArtifactName.validate(name)
        let row = try read { connection in
            try connection.queryFirst(
                """
                SELECT id, name, digest, size, filename, content_type, pipeline, job, created_at, expires_at
                FROM artifacts WHERE name = ? ORDER BY seq DESC LIMIT 1
                """, .text(name))
        }
        return try live(row.flatMap(ArtifactStore.artifact(from:)), "no artifact named \(name)")
    }

    /// The live artifacts whose content is `digest`, newest first, at most `limit`.
    public func artifacts(withDigest digest: BlobDigest, limit: Int = 64) throws(ArtifactError) -> [Artifact] {
        let now = nowSeconds
        let rows = try read { connection in
            try connection.query(
                """
                SELECT id, name, digest, size, filename, content_type, pipeline, job, created_at, expires_at
                FROM artifacts
                WHERE digest = ? AND (expires_at IS NULL OR expires_at > ?) ORDER BY seq DESC LIMIT ?
                """, .text(digest.hex), .integer(now), .integer(Int64(limit)))
        }
        return rows.compactMap(ArtifactStore.artifact(from:))
    }

    /// Removes the artifact's record; its blob goes with the next collection once nothing else uses it.
    public func deleteArtifact(id: String) throws(ArtifactError) {
        let removed = try write { connection in
            try connection.run("DELETE FROM artifacts WHERE id = ?", .text(id))
        }
        guard removed == 1 else {
            throw ArtifactError(.notFound, "no artifact with id \(id)")
        }
    }

    static func insert(_ artifact: Artifact, on connection: Connection) throws {
        try connection.run(
            """
            INSERT INTO artifacts (id, name, digest, size, filename, content_type, pipeline, job, created_at, expires_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, .text(artifact.id), .text(artifact.name), .text(artifact.digest.hex), .integer(artifact.size),
            .optional(artifact.filename), .optional(artifact.contentType), .optional(artifact.pipeline),
            .optional(artifact.job), .integer(artifact.createdAt), .optional(artifact.expiresAt))
    }

    private func live(_ artifact: Artifact?, _ missing: String) throws(ArtifactError) -> Artifact {
        guard let artifact else {
            throw ArtifactError(.notFound, missing)
        }
        guard !artifact.isExpired(at: nowSeconds) else {
            throw ArtifactError(.expired, "the artifact \(artifact.name) (\(artifact.id)) has expired")
        }
        return artifact
    }

    private static func artifact(from row: Row) -> Artifact? {
        guard let id = row.text(0), let name = row.text(1), let hex = row.text(2), let size = row.int(3),
            let digest = try? BlobDigest(hex: hex), let createdAt = row.int(8)
        else { return nil }
        return Artifact(
            id: id, name: name, digest: digest, size: size, filename: row.text(4), contentType: row.text(5),
            pipeline: row.text(6), job: row.text(7), createdAt: createdAt, expiresAt: row.int(9))
    }
}
