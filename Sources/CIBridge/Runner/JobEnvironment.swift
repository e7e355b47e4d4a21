/// Builds a step's environment from nothing but the job: a minimal PATH, the job's `env`, the step's
/// `env` over it, the secrets (each also as a file, `<NAME>_FILE`), and the CI variables.
///
/// Nothing of the runner's own environment goes in, and never the runner token. `HOME`, `TMPDIR`
/// and the CI variables are set last so a job cannot move them: the sandbox tells a job's processes
/// by its `HOME` and `TMPDIR`.
struct JobEnvironment: Sendable {
    /// The PATH every step starts with.
    static let path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

    let job: RunnerJob
    let workspace: JobWorkspace
    /// Variable name → secret value.
    var secrets: [String: String] = [:]
    /// Variable name → path of the secret's 0600 file.
    var secretFiles: [String: String] = [:]

    /// The whole environment of `step`.
    func variables(for step: CompiledStep) -> [String: String] {
        var variables = ["PATH": Self.path, "LANG": "C.UTF-8"]
        variables.merge(job.env) { _, job in job }
        variables.merge(step.env) { _, step in step }
        variables.merge(secrets) { _, secret in secret }
        for (name, path) in secretFiles { variables[name + "_FILE"] = path }
        variables.merge(fixed) { _, fixed in fixed }
        return variables
    }

    /// The environment of the runner's git commands: no secrets, no job variables, no prompts.
    var gitVariables: [String: String] {
        [
            "PATH": Self.path, "LANG": "C.UTF-8", "HOME": workspace.home, "TMPDIR": workspace.temporary,
            "GIT_TERMINAL_PROMPT": "0", "GIT_ASKPASS": "/bin/false", "SSH_ASKPASS": "/bin/false",
            "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": "/dev/null",
            "GIT_SSH_COMMAND": "ssh -o BatchMode=yes -o StrictHostKeyChecking=accept-new",
        ]
    }

    /// What a job cannot override.
    private var fixed: [String: String] {
        [
            "HOME": workspace.home, "TMPDIR": workspace.temporary, "CI": "true", "CI_COMMIT_SHA": job.commit,
            "CI_REF": job.ref, "CI_JOB_ID": "\(job.id)", "CI_JOB_NAME": job.name, "CI_JOB_ATTEMPT": "\(job.attempt)",
            "CI_PIPELINE_ID": "\(job.pipelineID)", "CI_REPOSITORY": job.repository.name, "CI_WORKSPACE": workspace.root,
        ]
    }
}
