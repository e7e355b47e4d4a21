import Database

/// What became of a webhook.
public enum WebhookResult: Sendable, Equatable {
    /// A new pipeline was created; it is compiled after the answer.
    case accepted(pipelineID: Int64)
    /// A redelivery or a second hook for the same push: the existing pipeline.
    case duplicate(pipelineID: Int64)
    /// Signed and understood, but it starts nothing; the reason says why.
    case ignored(String)
}

extension CIController {
    /// Verifies, de-duplicates and records a push; the pipeline is compiled after this returns.
    ///
    /// The signature is checked against each registered repository's secret on the raw body
    /// before the body is parsed; the repository the body names must be one whose secret matched.
    public func receiveWebhook(_ request: WebhookRequest) throws(CIError) -> WebhookResult {
        let signedBy = try repositoriesSigning(request)
        guard !signedBy.isEmpty else {
            throw CIError(.invalidSignature, "the webhook signature does not match any registered repository")
        }
        let parsed = try request.pushEvent()
        guard let event = parsed.event else {
            return .ignored(parsed.ignored ?? "the event starts no pipeline")
        }
        guard signedBy.contains(event.repository) else {
            throw CIError(.invalidSignature, "the webhook is not signed with the secret of \(event.repository)")
        }
        let result = try recordPush(event, provider: request.provider.rawValue, deliveryID: request.deliveryID)
        if case .accepted(let id) = result {
            compileQueue.async { self.compilePipeline(id) }
        }
        return result
    }

    /// Starts a pipeline by hand for `repository` at `commit`; branch filters do not apply.
    public func runPipeline(repository: String, commit: String, ref: String?) throws(CIError) -> Int64 {
        _ = try self.repository(repository)
        guard GitMirrors.isCommit(commit) else {
            throw CIError(.invalidInput, "commit must be a full 40- or 64-character hex commit id")
        }
        let time = now
        let id = try write { connection in
            try connection.run(
                """
                INSERT INTO ci_pipelines (repo, ref, commit_sha, is_manual, state, created_at)
                VALUES (?, ?, ?, 1, 'pending', ?)
                """, .text(repository), .text(ref ?? "refs/heads/manual"), .text(commit), .integer(time))
            return connection.lastInsertedRowID
        }
        compileQueue.async { self.compilePipeline(id) }
        return id
    }

    private func repositoriesSigning(_ request: WebhookRequest) throws(CIError) -> Set<String> {
        var matched: Set<String> = []
        for repository in try repositories() {
            let secret: [UInt8]?
            do {
                secret = try secrets.secret(repository: repository.name, name: RepositorySecretName.webhookSecret)
            } catch {
                throw CIError(.unavailable, "cannot read the webhook secret of \(repository.name): \(error)")
            }
            if let secret, request.isSigned(with: secret) {
                matched.insert(repository.name)
            }
        }
        return matched
    }

    private func recordPush(_ event: PushEvent, provider: String, deliveryID: String?) throws(CIError) -> WebhookResult
    {
        let time = now
        return try write { (connection) throws -> WebhookResult in
            if let deliveryID,
                let seen = try connection.queryFirst(
                    "SELECT pipeline_id FROM ci_deliveries WHERE provider = ? AND delivery_id = ?", .text(provider),
                    .text(deliveryID))
            {
                return .duplicate(pipelineID: seen.int(0) ?? 0)
            }
            var result: WebhookResult
            if let existing = try connection.queryFirst(
                "SELECT id FROM ci_pipelines WHERE repo = ? AND ref = ? AND commit_sha = ? AND is_manual = 0",
                .text(event.repository), .text(event.ref), .text(event.commit))?.int(0)
            {
                result = .duplicate(pipelineID: existing)
            } else {
                try connection.run(
                    """
                    INSERT INTO ci_pipelines (repo, ref, commit_sha, state, created_at)
                    VALUES (?, ?, ?, 'pending', ?)
                    """, .text(event.repository), .text(event.ref), .text(event.commit), .integer(time))
                result = .accepted(pipelineID: connection.lastInsertedRowID)
            }
            if let deliveryID {
                let id: Int64 =
                    switch result {
                    case .accepted(let id), .duplicate(let id): id
                    case .ignored: 0
                    }
                try connection.run(
                    "INSERT INTO ci_deliveries (provider, delivery_id, pipeline_id, received_at) VALUES (?, ?, ?, ?)",
                    .text(provider), .text(deliveryID), .integer(id), .integer(time))
            }
            return result
        }
    }
}
