import CIBridge
import Testing

/// Every compile error names the line of `.vault-ci.yml` at fault.
@Suite struct CompileErrorTests {
    private func expectError(
        _ yaml: String, _ code: PipelineError.Code, line: Int, mentioning text: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        guard let error = PipelineFixtures.error(yaml) else {
            Issue.record("expected \(code) at line \(line), but it compiled", sourceLocation: sourceLocation)
            return
        }
        #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
        #expect(error.location.line == line, "\(error)", sourceLocation: sourceLocation)
        #expect(error.reason.contains(text), "\(error.reason)", sourceLocation: sourceLocation)
    }

    @Test func needsCycleIsNamedAtTheNeedThatClosesIt() {
        expectError(
            """
            jobs:
              build:
                needs: [deploy]
                steps: [{ run: make }]
              test:
                needs: build
                steps: [{ run: make test }]
              deploy:
                needs:
                  - test
                steps: [{ run: make deploy }]
            """, .needsCycle, line: 6, mentioning: "build → deploy → test → build")
    }

    @Test func jobNeedingItselfIsACycle() {
        expectError(
            """
            jobs:
              build:
                needs: build
                steps: [{ run: make }]
            """, .needsCycle, line: 3, mentioning: "build → build")
    }

    @Test func unknownKeyInAStepListsTheAllowedKeys() {
        expectError(
            """
            jobs:
              build:
                steps:
                  - name: compile
                    run: make
                    working-directory: src
            """, .unknownKey, line: 6,
            mentioning: "unknown key 'working-directory' in step 1 of job 'build'; allowed: name, run, if, env")
    }

    @Test func unknownKeyAtTheTopAndInAJobAreErrors() {
        expectError(
            "permissions: read-all\njobs: {}\n", .unknownKey, line: 1, mentioning: "allowed: name, on, env, jobs")
        expectError(
            """
            jobs:
              build:
                container: ubuntu
                steps: [{ run: make }]
            """, .unknownKey, line: 3, mentioning: "'container' in job 'build'")
        expectError(
            "on: { pull_request: {} }\njobs: { a: { steps: [{ run: x }] } }\n", .unknownKey, line: 1,
            mentioning: "pull_request")
    }

    @Test func matrixOf257CombinationsIsRefused() {
        let values = (1...257).map(String.init).joined(separator: ", ")
        expectError(
            """
            jobs:
              test:
                strategy:
                  matrix:
                    shard: [\(values)]
                steps: [{ run: make test }]
            """, .matrixTooLarge, line: 5, mentioning: "257 combinations; at most 256")
    }

    @Test func matrixOf256CombinationsCompiles() throws {
        let pipeline = try PipelineFixtures.compile(
            """
            jobs:
              test:
                strategy:
                  matrix:
                    a: [\((1...16).map(String.init).joined(separator: ","))]
                    b: [\((1...16).map(String.init).joined(separator: ","))]
                steps: [{ run: make test }]
            """)
        #expect(pipeline.jobs.count == 256)
    }

    @Test func includeThatPushesTheMatrixPastTheLimitIsRefused() {
        expectError(
            """
            jobs:
              test:
                strategy:
                  matrix:
                    shard: [\((1...256).map(String.init).joined(separator: ","))]
                    include:
                      - shard: 999
                steps: [{ run: make test }]
            """, .matrixTooLarge, line: 5, mentioning: "257")
    }

    @Test func unknownNeedIsNamedWithTheKnownJobs() {
        expectError(
            """
            jobs:
              build:
                steps: [{ run: make }]
              test:
                needs: [build, lint]
                steps: [{ run: make test }]
            """, .unknownNeed, line: 5, mentioning: "needs 'lint', which is not a job; jobs: build, test")
    }

    @Test func wrongTypesAreRefused() {
        expectError(
            "jobs:\n  build:\n    steps: { run: make }\n", .wrongType, line: 3,
            mentioning: "must be a list, not a mapping")
        expectError(
            "jobs:\n  build:\n    continue-on-error: \"yes\"\n    steps: [{ run: make }]\n", .wrongType, line: 3,
            mentioning: "continue-on-error")
        expectError(
            "jobs:\n  build:\n    strategy: { fail-fast: \"true\", matrix: { a: [1] } }\n    steps: [{ run: make }]\n",
            .wrongType, line: 3, mentioning: "fail-fast of job 'build' must be true or false, not the text 'true'")
        expectError(
            "jobs:\n  build:\n    strategy: { max-parallel: 0, matrix: { a: [1] } }\n    steps: [{ run: make }]\n",
            .wrongType, line: 3, mentioning: "max-parallel")
    }

    @Test func emptyJobsAndEmptyStepsAreRefused() {
        expectError("on: push\njobs: {}\n", .emptyJobs, line: 2, mentioning: "jobs is empty")
        expectError("on: push\n", .emptyJobs, line: 1, mentioning: "no jobs")
        expectError("jobs:\n  build:\n    steps: []\n", .emptyJobs, line: 3, mentioning: "empty steps")
    }

    @Test func stepWithoutRunIsRefused() {
        expectError(
            """
            jobs:
              build:
                steps:
                  - run: make
                  - name: checkout
                    env: { A: b }
            """, .stepWithoutRun, line: 5, mentioning: "step 2 of job 'build' has no run")
    }

    @Test func invalidDurationsAreRefused() {
        expectError(
            "jobs:\n  build:\n    timeout-minutes: 10m\n    steps: [{ run: make }]\n", .invalidDuration, line: 3,
            mentioning: "timeout-minutes")
        expectError(
            "jobs:\n  build:\n    steps:\n      - run: make\n        timeout-minutes: -1\n", .invalidDuration,
            line: 5, mentioning: "step 1")
        expectError(
            "jobs:\n  build:\n    steps: [{ run: make }]\n    artifacts:\n      - path: dist/*.jar\n        expires-in: soon\n",
            .invalidDuration, line: 6, mentioning: "expires-in 'soon'")
    }

    @Test func invalidSecretPathsAreRefused() {
        for path in ["app//db", "/app/db", "app/../db", "app/db name", "app/db/"] {
            expectError(
                "jobs:\n  build:\n    secrets:\n      DB: \"\(path)\"\n    steps: [{ run: make }]\n",
                .invalidSecretPath, line: 4, mentioning: "not a valid secret path")
        }
        expectError(
            "jobs:\n  build:\n    secrets:\n      1DB: app/db\n    steps: [{ run: make }]\n", .invalidValue, line: 4,
            mentioning: "environment variable name")
    }

    @Test func badExpressionsAreRefusedWithTheirLine() {
        expectError(
            "jobs:\n  build:\n    if: github.ref == \n    steps: [{ run: make }]\n", .badExpression, line: 3,
            mentioning: "expected")
        expectError(
            "jobs:\n  build:\n    if: contains(github.ref, 'x')\n    steps: [{ run: make }]\n", .badExpression,
            line: 3, mentioning: "unknown function 'contains'")
        expectError(
            "jobs:\n  build:\n    steps:\n      - run: echo ${{ github.ref\n", .badExpression, line: 4,
            mentioning: "without a closing")
        expectError(
            "jobs:\n  build:\n    steps:\n      - run: echo ${{ success() }}\n", .badExpression, line: 4,
            mentioning: "status functions")
    }

    @Test func badReferencesAreRefusedWithTheirLine() {
        expectError(
            "jobs:\n  build:\n    steps:\n      - run: echo ${{ matrix.java }}\n", .badReference, line: 4,
            mentioning: "without strategy.matrix")
        expectError(
            "jobs:\n  build:\n    strategy: { matrix: { java: [11] } }\n    steps:\n      - run: echo ${{ matrix.jdk }}\n",
            .badReference, line: 5, mentioning: "unknown matrix key 'jdk'; matrix keys: java")
        expectError(
            "jobs:\n  build:\n    steps:\n      - run: echo ${{ secrets.TOKEN }}\n", .badReference, line: 4,
            mentioning: "unknown context 'secrets'")
        expectError(
            "jobs:\n  build:\n    steps:\n      - run: echo ${{ env.MISSING }}\n", .badReference, line: 4,
            mentioning: "env.MISSING")
        expectError(
            "jobs:\n  build:\n    if: github.owner == 'x'\n    steps: [{ run: make }]\n", .badReference, line: 3,
            mentioning: "github.owner")
    }

    @Test func duplicateJobIdsAfterExpansionAreRefused() {
        expectError(
            """
            jobs:
              test:
                strategy:
                  matrix:
                    include:
                      - os: linux
                      - os: linux
                steps: [{ run: make test }]
            """, .duplicateJob, line: 5, mentioning: "'test (os: linux)' twice")
    }

    @Test func matrixThatExcludesEverythingIsRefused() {
        expectError(
            PipelineFixtures.matrixJob("matrix:\n  os: [linux]\n  exclude:\n    - os: linux"), .emptyMatrix, line: 5,
            mentioning: "no combination")
        expectError(
            PipelineFixtures.matrixJob("matrix:\n  os: [linux]\n  exclude:\n    - arch: arm"), .invalidValue, line: 7,
            mentioning: "exclude names 'arch'")
    }

    @Test func invalidJobIdsAndYAMLSyntaxAreRefused() {
        expectError(
            "jobs:\n  \"build it\":\n    steps: [{ run: make }]\n", .invalidValue, line: 2, mentioning: "job id")
        expectError(
            "jobs:\n  build:\n    steps: [{ run: make }\n", .yamlSyntax, line: 4, mentioning: "YAML syntax error")
        expectError(
            "jobs:\n  build:\n    steps: [{ run: make }]\n  build:\n    steps: [{ run: make }]\n", .yamlSyntax, line: 4,
            mentioning: "duplicate key 'build' (first at line 2)")
    }

    @Test func errorSurvivesAJSONRoundTripForTheScheduler() throws {
        let error = try #require(PipelineFixtures.error("jobs:\n  build:\n    steps: []\n"))
        let decoded = try JSONDecoderShim.roundTrip(error)
        #expect(decoded.code == .emptyJobs)
        #expect(decoded.location == error.location)
        #expect(decoded.description == "line 3: job 'build' has an empty steps list")
    }
}
