import CIBridge
import Testing

/// `if:` conditions: compiled with the job's contexts, evaluated later with the needs' outcomes.
@Suite struct ConditionTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let expression: String
        let outcomes: [ConditionStatus.Outcome]
        let isCancelled: Bool
        let expected: Bool

        init(
            _ expression: String, _ outcomes: [ConditionStatus.Outcome] = [.success], cancelled: Bool = false,
            expect expected: Bool
        ) {
            self.expression = expression
            self.outcomes = outcomes
            self.isCancelled = cancelled
            self.expected = expected
        }

        var testDescription: String { "\(expression) with \(outcomes)\(isCancelled ? " cancelled" : "")" }
    }

    static let cases: [Case] = [
        Case("github.ref == 'refs/heads/main'", expect: true),
        Case("github.ref == 'REFS/HEADS/MAIN'", expect: true),
        Case("github.branch != 'main'", expect: false),
        Case("github.commit == github.sha && github.sha == '0123abcd'", expect: true),
        Case("github.repository == 'acme/payments'", expect: true),
        Case("matrix.java == 17", expect: true),
        Case("matrix.java == '17'", expect: true),
        Case("matrix.java == '17.0'", expect: true),
        Case("matrix.os == 'linux' && matrix.java != 11", expect: true),
        Case("!matrix.experimental", expect: false),
        Case("env.APP == 'payments' || false", expect: true),
        Case("env.EMPTY", expect: false),
        Case("null == 0", expect: true),
        Case("true == 1", expect: true),
        Case("'' == 0", expect: true),
        Case("'abc' == 0", expect: false),
        Case("'abc' != 'ABC'", expect: false),
        Case("!(1 == 2)", expect: true),
        Case("0x10 == 16 && 1.5 == '1.5'", expect: true),
        Case("false || 0 || ''", expect: false),
        Case("success()", [.success, .success], expect: true),
        Case("success()", [.success, .failure], expect: false),
        Case("success()", [.skipped], expect: false),
        Case("!success()", [.skipped], expect: true),
        Case("failure()", [.success, .failure], expect: true),
        Case("failure()", [.cancelled], expect: false),
        Case("always()", [.failure], cancelled: true, expect: true),
        Case("cancelled()", [.success], cancelled: true, expect: true),
        Case("success()", [.success], cancelled: true, expect: false),
        Case("github.ref == 'refs/heads/main'", [.failure], expect: false),
        Case("failure() && matrix.java == 17", [.failure], expect: true),
        Case("failure() && matrix.java == 11", [.failure], expect: false),
        Case("(github.branch == 'dev') || (matrix.java == 17 && !cancelled())", [.success], expect: true),
        Case("always() && github.branch == 'dev'", [.success], expect: false),
        Case("true", [], expect: true),
    ]

    private func condition(_ expression: String) throws -> PipelineExpression {
        let pipeline = try PipelineFixtures.compile(
            """
            env: { APP: payments }
            jobs:
              test:
                if: "${{ \(expression) }}"
                env: { EMPTY: "" }
                strategy:
                  matrix:
                    java: [17]
                    os: [linux]
                    include: [{ experimental: true }]
                steps: [{ run: make test }]
            """)
        return try #require(pipeline.jobs.first).condition
    }

    @Test(arguments: cases)
    func conditionEvaluatesAsGitHubDoes(_ testCase: Case) throws {
        let status = ConditionStatus(outcomes: testCase.outcomes, isCancelled: testCase.isCancelled)
        #expect(try condition(testCase.expression).isSatisfied(by: status) == testCase.expected)
    }

    @Test func contextOnlyPartsAreFoldedAtCompileTime() throws {
        #expect(try condition("github.branch == 'main'") == .and(.status(.success), .literal(.bool(true))))
        #expect(try condition("failure() || matrix.java == 11") == .or(.status(.failure), .literal(.bool(false))))
        #expect(try condition("matrix.java == 17 || failure()") == .literal(.bool(true)))
        #expect(try condition("cancelled() && env.APP == 'x'") == .and(.status(.cancelled), .literal(.bool(false))))
        #expect(try condition("always()") == .status(.always))
    }

    @Test func conditionWithoutDollarBracesAndWithoutIfDefaultToSuccess() throws {
        let pipeline = try PipelineFixtures.compile(
            """
            jobs:
              a:
                steps: [{ run: make }]
              b:
                if: github.ref != 'refs/heads/main'
                steps:
                  - run: make
                    if: failure()
            """)
        #expect(pipeline.job("a")?.condition == .status(.success))
        #expect(pipeline.job("b")?.condition.isSatisfied(by: ConditionStatus(outcomes: [])) == false)
        #expect(pipeline.job("b")?.steps.first?.condition == .status(.failure))
    }

    @Test func compiledConditionSurvivesJSON() throws {
        let original = try condition("failure() && (matrix.java == 17 || !cancelled())")
        #expect(try JSONDecoderShim.roundTrip(original) == original)
    }

    @Test func parserRejectsMalformedExpressions() {
        for text in [
            "", "a", "github.ref ==", "(true", "true)", "'open", "1 = 1", "github.", "success(1)", "a.b.", "1 < 2",
        ] {
            #expect(throws: PipelineError.self, "\(text)") { try PipelineExpression.parse(text) }
        }
        let deep = String(repeating: "(", count: 40) + "true" + String(repeating: ")", count: 40)
        #expect(throws: PipelineError.self) { try PipelineExpression.parse(deep) }
    }
}
