import Foundation
import Testing

@testable import CIBridge

@Suite struct ExamplePipelineTests {
    /// The sample repository in `examples/` must stay a valid pipeline.
    @Test func sampleRepositoryPipelineCompilesToABuildAndTwoTestShards() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let file = try Data(contentsOf: root.appendingPathComponent("examples/sample-repo/.vault-ci.yml"))
        let push = PushContext(
            repository: "acme/hello", ref: "refs/heads/main", commit: String(repeating: "c", count: 40))
        let pipeline = try #require(try PipelineCompiler().compile(Array(file), push: push).pipeline)
        #expect(pipeline.jobs.map(\.id) == ["build", "test (shard: 1)", "test (shard: 2)"])
        #expect(pipeline.job("build")?.secrets == ["GREETING_KEY": "hello-vault/GREETING_KEY"])
        #expect(pipeline.job("build")?.artifacts.first?.path == "dist/*.txt")
        #expect(pipeline.job("test (shard: 2)")?.needs == ["build"])
        #expect(pipeline.job("test (shard: 2)")?.steps.first?.run == "./build.sh --test 2")
    }
}
