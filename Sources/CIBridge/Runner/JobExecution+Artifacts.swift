extension JobExecution {
    /// Uploads the files matching each `artifacts` glob with the job token; a glob without a match and
    /// a link leading out of the workspace are reported in the log, and a failed upload fails the job.
    func uploadArtifacts(_ progress: Progress, log: JobLogStream) {
        guard let workspace = progress.workspace, !job.artifacts.isEmpty else { return }
        let collector = ArtifactCollector(root: workspace.root)
        for rule in job.artifacts {
            let found = collector.collect(ArtifactGlob(rule.path))
            for link in found.refusedLinks {
                log.line("==> artifacts: \(link) is a link leading out of the workspace; not uploaded")
            }
            guard !found.matches.isEmpty else {
                log.line("==> artifacts: no file matches '\(rule.path)'")
                continue
            }
            let files = found.matches.map { (path: $0.path, filename: $0.relativePath) }
            do {
                let stored = try client.uploadArtifacts(files, rule: rule, job: job)
                for artifact in stored {
                    log.line("==> artifacts: uploaded \(artifact.name) (\(artifact.digest))")
                }
            } catch {
                log.line("==> artifacts: uploading \(files.count) file(s) for '\(rule.path)' failed: \(error.reason)")
                progress.outcome.failJob()
            }
        }
    }
}
