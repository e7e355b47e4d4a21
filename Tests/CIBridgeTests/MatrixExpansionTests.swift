import CIBridge
import Testing

/// GitHub's documented matrix examples, with the combinations the docs say they produce.
@Suite struct MatrixExpansionTests {
    @Test func includeExampleWithFruitsAndAnimalsExpandsAsGitHubDocuments() throws {
        let pipeline = try PipelineFixtures.compile(
            PipelineFixtures.matrixJob(
                """
                matrix:
                  fruit: [apple, pear]
                  animal: [cat, dog]
                  include:
                    - color: green
                    - color: pink
                      animal: cat
                    - fruit: apple
                      shape: circle
                    - fruit: banana
                    - fruit: banana
                      animal: cat
                """))
        #expect(
            PipelineFixtures.combinations(pipeline) == [
                ["fruit=apple", "animal=cat", "color=pink", "shape=circle"],
                ["fruit=apple", "animal=dog", "color=green", "shape=circle"],
                ["fruit=pear", "animal=cat", "color=pink"],
                ["fruit=pear", "animal=dog", "color=green"],
                ["fruit=banana"],
                ["fruit=banana", "animal=cat"],
            ])
        #expect(pipeline.jobs.map(\.id).first == "test (fruit: apple, animal: cat, color: pink, shape: circle)")
        #expect(pipeline.jobs.map(\.displayName).last == "test (banana, cat)")
        #expect(Set(pipeline.jobs.map(\.group)) == ["test"])
    }

    @Test func excludeExampleWithPartialMatchesLeavesNineJobs() throws {
        let pipeline = try PipelineFixtures.compile(
            PipelineFixtures.matrixJob(
                """
                matrix:
                  os: [macos-latest, windows-latest]
                  version: [12, 14, 16]
                  environment: [staging, production]
                  exclude:
                    - os: macos-latest
                      version: 12
                      environment: production
                    - os: windows-latest
                      version: 16
                """))
        let combinations = PipelineFixtures.combinations(pipeline)
        #expect(combinations.count == 9)
        #expect(!combinations.contains(["os=macos-latest", "version=12", "environment=production"]))
        #expect(!combinations.contains { $0.contains("os=windows-latest") && $0.contains("version=16") })
        #expect(combinations.first == ["os=macos-latest", "version=12", "environment=staging"])
        #expect(combinations.last == ["os=windows-latest", "version=14", "environment=production"])
    }

    @Test func includeExpandsOneExistingCombinationWithoutAddingJobs() throws {
        let pipeline = try PipelineFixtures.compile(
            PipelineFixtures.matrixJob(
                """
                matrix:
                  os: [windows-latest, ubuntu-latest]
                  node: [14, 16]
                  include:
                    - os: windows-latest
                      node: 16
                      npm: 6
                """))
        #expect(
            PipelineFixtures.combinations(pipeline) == [
                ["os=windows-latest", "node=14"],
                ["os=windows-latest", "node=16", "npm=6"],
                ["os=ubuntu-latest", "node=14"],
                ["os=ubuntu-latest", "node=16"],
            ])
        #expect(pipeline.jobs[1].id == "test (os: windows-latest, node: 16, npm: 6)")
    }

    @Test func includeThatContradictsEveryCombinationAddsANewOne() throws {
        let pipeline = try PipelineFixtures.compile(
            PipelineFixtures.matrixJob(
                """
                matrix:
                  os: [windows-latest, ubuntu-latest]
                  node: [14, 16]
                  include:
                    - os: windows-latest
                      node: 17
                """))
        #expect(pipeline.jobs.count == 5)
        #expect(PipelineFixtures.combinations(pipeline).last == ["os=windows-latest", "node=17"])
    }

    @Test func includeCanAddBackACombinationThatExcludeRemoved() throws {
        let pipeline = try PipelineFixtures.compile(
            PipelineFixtures.matrixJob(
                """
                matrix:
                  os: [linux, macos]
                  java: [11, 17]
                  exclude:
                    - os: macos
                  include:
                    - os: macos
                      java: 21
                      experimental: true
                """))
        #expect(
            PipelineFixtures.combinations(pipeline) == [
                ["os=linux", "java=11"], ["os=linux", "java=17"], ["os=macos", "java=21", "experimental=true"],
            ])
    }

    @Test func matrixOnlyOfIncludesMakesOneJobPerEntry() throws {
        let pipeline = try PipelineFixtures.compile(
            PipelineFixtures.matrixJob(
                """
                matrix:
                  include:
                    - site: production
                      datacenter: site-a
                    - site: staging
                      datacenter: site-b
                """))
        #expect(
            pipeline.jobs.map(\.id) == [
                "test (site: production, datacenter: site-a)", "test (site: staging, datacenter: site-b)",
            ])
    }

    @Test func needsOnAMatrixJobMeansEveryCombination() throws {
        let pipeline = try PipelineFixtures.compile(
            """
            jobs:
              test:
                strategy:
                  fail-fast: false
                  max-parallel: 2
                  matrix: { java: [11, 17] }
                steps: [{ run: make test }]
              deploy:
                needs: [test, test]
                steps: [{ run: make deploy }]
            """)
        let deploy = try #require(pipeline.job("deploy"))
        #expect(deploy.needs == ["test (java: 11)", "test (java: 17)"])
        let test = try #require(pipeline.job("test (java: 17)"))
        #expect(test.failFast == false)
        #expect(test.maxParallel == 2)
        #expect(deploy.failFast == true)
        #expect(deploy.maxParallel == nil)
    }

    @Test func quotedAndPlainScalarsStayDistinctMatrixValues() throws {
        let pipeline = try PipelineFixtures.compile(
            PipelineFixtures.matrixJob(
                """
                matrix:
                  flag: [true, "true"]
                  exclude:
                    - flag: "true"
                """))
        #expect(pipeline.jobs.count == 1)
        #expect(pipeline.jobs[0].matrix?["flag"] == .bool(true))
    }
}
