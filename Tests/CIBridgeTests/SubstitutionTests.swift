import CIBridge
import Testing

/// `${{ }}` in run, env, name, runs-on and artifacts, per matrix combination.
@Suite struct SubstitutionTests {
    @Test func matrixEnvAndGithubValuesAreSubstitutedPerCombination() throws {
        let pipeline = try PipelineFixtures.compile(
            """
            env:
              APP: payments
              REF: ${{ github.ref }}
            jobs:
              test:
                name: test on ${{ matrix.os }}
                runs-on: [linux, "${{ matrix.os }}"]
                env:
                  JAVA_HOME: /opt/jdk-${{ matrix.java }}
                  APP: ${{ env.APP }}-test
                strategy:
                  matrix: { os: [debian], java: [11, 17] }
                steps:
                  - name: unit ${{ matrix.java }}
                    run: make test JAVA=${{ matrix.java }} APP=${{ env.APP }} SHA=${{ github.sha }}
                    env:
                      MODE: ${{ env.APP }}/${{ github.branch }}
                  - run: |
                      echo "${{ env.MODE }}"
                      echo done
                    env: { MODE: fast }
                artifacts:
                  - { path: "build/${{ matrix.java }}/*.jar", name: "jar-${{ matrix.java }}", expires-in: 1d }
            """)
        #expect(pipeline.env == ["APP": "payments", "REF": "refs/heads/main"])
        let job = try #require(pipeline.job("test (os: debian, java: 17)"))
        #expect(job.displayName == "test on debian")
        #expect(job.labels == ["linux", "debian"])
        #expect(job.env == ["APP": "payments-test", "REF": "refs/heads/main", "JAVA_HOME": "/opt/jdk-17"])
        #expect(job.steps[0].name == "unit 17")
        #expect(job.steps[0].run == "make test JAVA=17 APP=payments-test SHA=0123abcd")
        #expect(job.steps[0].env == ["MODE": "payments-test/main"])
        #expect(job.steps[1].run == "echo \"fast\"\necho done\n")
        #expect(job.steps[1].name == "Run echo \"fast\"")
        #expect(job.artifacts == [ArtifactRule(path: "build/17/*.jar", name: "jar-17", expiresInSeconds: 86_400)])
    }

    @Test func bracesInsideStringLiteralsDoNotEndTheExpression() throws {
        let pipeline = try PipelineFixtures.compile(
            "jobs:\n  a:\n    steps:\n      - run: echo ${{ '}}' }} ${{ 'it''s' }} ${{ 1 == 1 }} ${{ null }}.\n")
        #expect(pipeline.jobs[0].steps[0].run == "echo }} it's true .")
    }

    @Test func continueOnErrorFollowsAMatrixValue() throws {
        let pipeline = try PipelineFixtures.compile(
            PipelineFixtures.matrixJob(
                """
                matrix:
                  java: [17]
                  include:
                    - java: 21
                      experimental: true
                """
            ).replacingFirst(
                "    steps:", with: "    continue-on-error: ${{ matrix.experimental == true }}\n    steps:"))
        #expect(pipeline.jobs.map(\.continueOnError) == [false, true])
    }

    @Test func matrixKeyMissingFromSomeCombinationsIsEmpty() throws {
        let pipeline = try PipelineFixtures.compile(
            """
            jobs:
              test:
                strategy:
                  matrix:
                    java: [17]
                    include: [{ java: 21, flags: --preview }]
                steps: [{ run: "java ${{ matrix.flags }} -version" }]
            """)
        #expect(pipeline.jobs.map { $0.steps[0].run } == ["java  -version", "java --preview -version"])
    }

    @Test func artifactPathThatEscapesTheWorkspaceAfterSubstitutionIsRefused() {
        let error = PipelineFixtures.error(
            """
            jobs:
              a:
                strategy: { matrix: { dir: [out, ..] } }
                steps: [{ run: make }]
                artifacts:
                  - path: "${{ matrix.dir }}/app.jar"
            """)
        #expect(error?.code == .invalidValue)
        #expect(error?.location.line == 6)
    }

    @Test func workflowEnvCannotReadEnv() {
        let error = PipelineFixtures.error("env:\n  A: x\n  B: ${{ env.A }}\njobs:\n  a:\n    steps: [{ run: make }]\n")
        #expect(error?.code == .badReference)
        #expect(error?.location.line == 3)
    }
}

extension String {
    func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let range = firstRange(of: target) else { return self }
        var copy = self
        copy.replaceSubrange(range, with: replacement)
        return copy
    }
}
