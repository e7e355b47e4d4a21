import Foundation
import TestSupport
import Testing

/// Jobs run by the runner that `vaultctl server --dev` starts beside the server.
@Suite struct BundledRunnerTests {
    @Test func devRunnerRunsJobsWithACleanEnvironmentAndHomeAndTempInsideTheWorkspace() throws {
        let fixture = try RunnerFixture(
            pipeline: """
                on: { push: { branches: [main] } }
                jobs:
                  build:
                    runs-on: [linux, dev]
                    env: { FROM_JOB: job-value }
                    steps:
                      - name: environment
                        env: { FROM_STEP: step-value }
                        run: env
                      - run: test "$(pwd)" = "$CI_WORKSPACE" && test -f .vault-ci.yml && echo checked-out
                """)
        let job = try fixture.firstJob(ofPipeline: try fixture.startPipeline())
        let id = try #require(job["id"] as? Int)
        let ended = try fixture.waitForEnd(ofJob: id)
        let log = try fixture.log(ofJob: id)
        #expect(ended["state"] as? String == "success", "\(log)")
        #expect(log.contains("checked-out"))

        let variables = Dictionary(
            log.split(separator: "\n").compactMap { line -> (String, String)? in
                guard let equals = line.firstIndex(of: "="), !line.hasPrefix("==>") else { return nil }
                return (String(line[..<equals]), String(line[line.index(after: equals)...]))
            }
        ) { first, _ in first }
        let workspace = try #require(variables["CI_WORKSPACE"])
        #expect(workspace.hasPrefix(fixture.dataDirectory + "/runner/job-"))
        #expect(variables["HOME"]?.hasPrefix(workspace + "/") == true)
        #expect(variables["TMPDIR"]?.hasPrefix(workspace + "/") == true)
        #expect(variables["FROM_JOB"] == "job-value")
        #expect(variables["FROM_STEP"] == "step-value")
        #expect(variables["CI"] == "true")
        #expect(variables["CI_COMMIT_SHA"] == fixture.commit)
        #expect(variables["CI_JOB_ID"] == "\(id)")

        // The server (and so its runner) inherited this test's environment: none of it may reach the step.
        let allowed: Set<String> = ["PATH", "HOME", "TMPDIR", "LANG", "PWD", "SHLVL", "_"]
        // `CI` and `CI_*` are set for every step by design, so a CI machine's own `CI=true` proves nothing.
        let inherited = ProcessInfo.processInfo.environment.filter {
            !allowed.contains($0.key) && !$0.value.isEmpty && $0.key != "CI" && !$0.key.hasPrefix("CI_")
        }
        #expect(!inherited.isEmpty)
        for (name, value) in inherited {
            #expect(variables[name] != value, "the runner's \(name) reached the step")
        }
        let configuration = try Data(contentsOf: URL(fileURLWithPath: fixture.dataDirectory + "/runner.json"))
        let runnerToken = try #require(
            (try JSONSerialization.jsonObject(with: configuration) as? [String: Any])?["token"] as? String)
        #expect(!log.contains(runnerToken))
        #expect(!log.contains("vrt."), "no runner token of any kind reaches the log")
        #expect(fixture.workspaces(in: fixture.dataDirectory + "/runner").isEmpty)
    }

    @Test func secretsReachTheStepButNoFormOfThemReachesTheLogAndLeasesEndWithTheJob() throws {
        let plain = #"hunter2-Sup3r/s3cret+va"lue\x"#
        let pem = """
            -----BEGIN TEST KEY-----
            MIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu
            KUpRKfFLfRYC9AIKjbJTWit+CqvjWYzvQwECAwEAAQ==
            -----END TEST KEY-----
            """
        let fixture = try RunnerFixture(
            pipeline: """
                on: { push: { branches: [main] } }
                jobs:
                  leak:
                    secrets: { PLAIN: app/plain, PEM: app/pem }
                    steps:
                      - name: print every form
                        run: |
                          test "$(stat -c %a "$PLAIN_FILE")" = 600
                          test "$(cat "$PLAIN_FILE")" = "$PLAIN"
                          python3 - <<'EOF'
                          import base64, json, os, sys, urllib.parse
                          s = os.environ["PLAIN"]
                          print("plain:", s)
                          print("base64:", base64.b64encode(s.encode()).decode())
                          print("url:", urllib.parse.quote(s, safe=""))
                          print("json:", json.dumps(s))
                          sys.stdout.flush()
                          os.write(1, b"bytes:")
                          for byte in s.encode():
                              os.write(1, bytes([byte]))
                          os.write(1, b"\\n")
                          print("pem:", os.environ["PEM"])
                          print("pem-json:", json.dumps(os.environ["PEM"]))
                          EOF
                """)
        try fixture.putSecret("app/plain", plain)
        try fixture.putSecret("app/pem", pem)
        let job = try fixture.firstJob(ofPipeline: try fixture.startPipeline())
        let id = try #require(job["id"] as? Int)
        let ended = try fixture.waitForEnd(ofJob: id)
        let log = try fixture.log(ofJob: id)
        #expect(ended["state"] as? String == "success", "\(log)")
        for label in ["plain: ***", "base64: ***", "url: ***", "json: ", "bytes:***", "pem: "] {
            #expect(log.contains(label), "the step printed \(label)")
        }

        let escaped = plain.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        var forms = [
            plain, Data(plain.utf8).base64EncodedString(),
            plain.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(.init(charactersIn: "-._~"))) ?? "",
            escaped,
        ]
        forms += pem.split(separator: "\n").map(String.init)
        for form in forms {
            #expect(!log.contains(form), "the log holds a form of a secret: \(form.prefix(12))…")
        }

        let receipt = try #require(ended["cleanup"] as? [String: Any])
        #expect(receipt["workspace_removed"] as? Bool == true)
        #expect(receipt["leases_revoked"] as? Bool == true)
        #expect(receipt["processes_left"] as? Int == 0)
        #expect(fixture.workspaces(in: fixture.dataDirectory + "/runner").isEmpty)
        let leases =
            try fixture.curl("GET", "/v1/leases", query: "?job=\(id)").object["leases"] as? [[String: Any]] ?? []
        #expect(leases.count == 2)
        for lease in leases {
            let leaseID = try #require(lease["id"] as? String)
            let answer = try fixture.curl("GET", "/v1/leases/\(leaseID)")
            #expect(answer.status == 410)
            #expect(answer.object["value"] == nil)
        }
    }
}

/// Artifacts the job built reach the artifact store; a glob without a match is reported.
@Suite struct RunnerArtifactTests {
    @Test func matchingFilesAreUploadedWithTheJobTokenAndAMissingMatchIsLogged() throws {
        let fixture = try RunnerFixture(
            pipeline: """
                on: { push: { branches: [main] } }
                jobs:
                  package:
                    steps:
                      - run: mkdir -p dist/lib && printf 'jar bytes' > dist/app.jar && printf 'x' > dist/lib/dep.jar
                    artifacts:
                      - { path: "dist/*.jar", expires-in: 7d }
                      - { path: "reports/**/*.xml" }
                """)
        let pipeline = try fixture.startPipeline()
        let job = try fixture.firstJob(ofPipeline: pipeline)
        let id = try #require(job["id"] as? Int)
        let ended = try fixture.waitForEnd(ofJob: id)
        let log = try fixture.log(ofJob: id)
        #expect(ended["state"] as? String == "success", "\(log)")
        #expect(log.contains("no file matches 'reports/**/*.xml'"))
        let listed = try fixture.curl("GET", "/v1/artifacts", query: "?pipeline=\(pipeline)&job=\(id)")
        let artifacts = listed.object["artifacts"] as? [[String: Any]] ?? []
        #expect(artifacts.map { $0["name"] as? String } == ["app.jar"], "only dist/*.jar, not dist/lib: \(listed)")
        let digest = try CommandRunner.run("/bin/sh", ["-c", "printf 'jar bytes' | sha256sum | cut -d' ' -f1"])
        #expect(
            artifacts.first?["digest"] as? String == "sha256:"
                + digest.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(artifacts.first?["expires_at"] is String)
    }
}

@Suite struct RunnerCredentialHidingTests {
    /// The bundled runner's workspaces sit inside the server's data directory, beside the root token
    /// and the unseal key; under bubblewrap a step sees none of it but its own workspace. The data
    /// directory is kept outside /tmp here, since bubblewrap's private /tmp would hide it anyway.
    @Test func stepsCannotReadTheServersDataDirectoryOrTheRunnersConfiguration() throws {
        guard BubblewrapProbeResult.isAvailable else {
            Issue.record("bubblewrap does not run here; without it nothing can be hidden from steps")
            return
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/runner-hiding-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let server = try DevServer(directory: root)
        defer { server.stop() }
        let commit = try GitFixture.repository(
            at: root + "/src",
            pipeline: """
                on: { push: { branches: [main] } }
                jobs:
                  snoop:
                    runs-on: [linux, dev]
                    steps:
                      - run: |
                          data="$CI_WORKSPACE/../.."
                          for file in root.token unseal.key vault.db runner.json audit.key; do
                            if cat "$data/$file" >/dev/null 2>&1; then echo "LEAKED $file"; exit 1; fi
                          done
                          echo "data directory holds: $(ls -A "$data" | tr '\\n' ' ')"
                """)
        let env = server.environment
        #expect(
            try CommandRunner.vaultctl(["repo", "add", "acme/snoop", "--clone-url", root + "/src"], environment: env)
                .exitCode == 0)
        let run = try CommandRunner.vaultctl(
            ["pipeline", "run", "acme/snoop", "--commit", commit, "--format", "json"], environment: env)
        let started = try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [String: Any]
        let pipeline = try #require(started?["pipeline"] as? Int)
        var shown: [String: Any] = [:]
        let deadline = Date().addingTimeInterval(60)
        repeat {
            Thread.sleep(forTimeInterval: 0.3)
            let result = try CommandRunner.vaultctl(
                ["pipeline", "show", "\(pipeline)", "--format", "json"], environment: env)
            shown = (try? JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any]) ?? [:]
        } while Date() < deadline && ["pending", "running", nil].contains(shown["state"] as? String)
        let job = try #require((shown["jobs"] as? [[String: Any]])?.first)
        let log = try CommandRunner.vaultctl(["pipeline", "logs", "\(job["id"] ?? "")"], environment: env)
            .standardOutput
        #expect(shown["state"] as? String == "success", "\(log)")
        #expect(!log.contains("LEAKED"))
        #expect(log.contains("data directory holds: runner"), "\(log)")
    }
}

/// Whether bubblewrap works on this machine, asked the way the runner asks.
enum BubblewrapProbeResult {
    static var isAvailable: Bool {
        let result = try? CommandRunner.run(
            "/usr/bin/bwrap", ["--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--unshare-pid", "/bin/true"])
        return result?.exitCode == 0
    }
}
