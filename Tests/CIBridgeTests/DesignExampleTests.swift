import CIBridge
import Foundation
import Testing

/// The example of DESIGN.md §7 compiles to the jobs it describes.
@Suite struct DesignExampleTests {
    static let example = """
        on: { push: { branches: [main, "release/*"] } }
        env: { APP: payment-service }
        jobs:
          build:
            runs-on: [linux]
            timeout-minutes: 10
            secrets: { DB_PASSWORD: payment-service/DB_PASSWORD }
            steps:
              - run: make build
            artifacts: [{ path: "dist/*.jar", expires-in: 7d }]
          test:
            needs: [build]
            strategy:
              fail-fast: true
              max-parallel: 2
              matrix: { java: [11, 17, 21] }
            steps:
              - name: unit
                run: make test JAVA=${{ matrix.java }}
        """

    @Test func designExampleCompilesToFourJobs() throws {
        let pipeline = try PipelineFixtures.compile(Self.example)
        #expect(pipeline.jobs.map(\.id) == ["build", "test (java: 11)", "test (java: 17)", "test (java: 21)"])

        let build = try #require(pipeline.job("build"))
        #expect(build.labels == ["linux"])
        #expect(build.timeoutSeconds == 600)
        #expect(build.secrets == ["DB_PASSWORD": "payment-service/DB_PASSWORD"])
        #expect(build.env == ["APP": "payment-service"])
        #expect(
            build.steps == [
                CompiledStep(
                    name: "Run make build", run: "make build", env: [:], timeoutSeconds: nil, continueOnError: false,
                    condition: .status(.success))
            ])
        #expect(build.artifacts == [ArtifactRule(path: "dist/*.jar", name: nil, expiresInSeconds: 7 * 86_400)])
        #expect(build.needs.isEmpty)
        #expect(build.matrix == nil)

        let test = try #require(pipeline.job("test (java: 21)"))
        #expect(test.needs == ["build"])
        #expect(test.group == "test")
        #expect(test.displayName == "test (21)")
        #expect(test.labels.isEmpty)
        #expect(test.timeoutSeconds == 360 * 60)
        #expect(test.failFast && test.maxParallel == 2)
        #expect(test.steps.map(\.run) == ["make test JAVA=21"])
        #expect(test.steps.map(\.name) == ["unit"])
        #expect(test.env == ["APP": "payment-service"])
    }

    @Test func designExampleFollowsItsBranchFilter() throws {
        let compiler = PipelineCompiler()
        #expect(try compiler.compile(Self.example, push: PipelineFixtures.push(branch: "release/2.4")).pipeline != nil)
        #expect(try compiler.compile(Self.example, push: PipelineFixtures.push(branch: "feature/x")).pipeline == nil)
    }

    @Test func compiledPipelineSurvivesAJSONRoundTrip() throws {
        let pipeline = try PipelineFixtures.compile(Self.example)
        #expect(try JSONDecoderShim.roundTrip(pipeline) == pipeline)
        let outcome = try PipelineCompiler().compile(Self.example, push: PipelineFixtures.mainPush)
        #expect(try JSONDecoderShim.roundTrip(outcome) == outcome)
    }
}
