/// A job's `strategy.matrix`, and its expansion by GitHub Actions' documented rules.
///
/// 1. The cartesian product of the dimensions, the first key varying slowest.
/// 2. `exclude` removes every product combination that matches an entry; an entry may name only
///    some keys (a partial match excludes).
/// 3. Each `include` entry is merged into every remaining product combination whose original
///    dimension values it does not contradict; keys it adds may overwrite values an earlier include
///    added, never original dimension values. An entry that fits no product combination becomes a
///    combination of its own. Combinations made that way never absorb later entries.
struct MatrixDefinition: Sendable, Equatable {
    /// One `include` or `exclude` entry with its line.
    struct Entry: Sendable, Equatable {
        let pairs: [(String, ExpressionValue)]
        let location: PipelineError.Location

        static func == (lhs: Entry, rhs: Entry) -> Bool {
            lhs.location == rhs.location && lhs.pairs.elementsEqual(rhs.pairs) { $0.0 == $1.0 && $0.1 == $1.1 }
        }
    }

    /// One dimension: a key and its values, with the key's line.
    struct Dimension: Sendable, Equatable {
        let key: String
        let values: [ExpressionValue]
        let location: PipelineError.Location
    }

    let dimensions: [Dimension]
    let exclude: [Entry]
    let include: [Entry]
    let location: PipelineError.Location

    /// Expands the matrix; throws `matrixTooLarge` past `limit` and `emptyMatrix` when nothing is left.
    func combinations(limit: Int) throws(PipelineError) -> [MatrixCombination] {
        let dimensionKeys = Set(dimensions.map(\.key))
        for entry in exclude {
            for (key, _) in entry.pairs where !dimensionKeys.contains(key) {
                let known = dimensions.map(\.key).joined(separator: ", ")
                let reason = "exclude names '\(key)', which is not a matrix key; matrix keys: \(known)"
                throw PipelineError(.invalidValue, reason, at: entry.location)
            }
        }
        var product = try cartesianProduct(limit: limit)
        product.removeAll { combination in exclude.contains { Self.matches(combination, $0.pairs) } }
        var added: [MatrixCombination] = []
        for entry in include {
            var isMerged = false
            for index in product.indices where Self.fits(entry.pairs, product[index], dimensionKeys) {
                for (key, value) in entry.pairs { product[index][key] = value }
                isMerged = true
            }
            if !isMerged { added.append(MatrixCombination(entry.pairs)) }
        }
        let all = product + added
        guard all.count <= limit else { throw tooLarge(all.count, limit: limit) }
        guard !all.isEmpty else {
            throw PipelineError(.emptyMatrix, "the matrix yields no combination after exclude", at: location)
        }
        return all
    }

    private func cartesianProduct(limit: Int) throws(PipelineError) -> [MatrixCombination] {
        guard !dimensions.isEmpty else { return [] }
        var size = 1
        for dimension in dimensions {
            let next = size.multipliedReportingOverflow(by: dimension.values.count)
            guard !next.overflow, next.partialValue <= limit else {
                throw tooLarge(next.overflow ? Int.max : next.partialValue, limit: limit, atLeast: true)
            }
            size = next.partialValue
        }
        var combinations = [MatrixCombination()]
        for dimension in dimensions {
            combinations = combinations.flatMap { base in
                dimension.values.map { value in
                    var combination = base
                    combination[dimension.key] = value
                    return combination
                }
            }
        }
        return combinations
    }

    private func tooLarge(_ count: Int, limit: Int, atLeast: Bool = false) -> PipelineError {
        let amount = count == Int.max ? "an astronomical number of" : (atLeast ? "at least \(count)" : "\(count)")
        let reason = "the matrix has \(amount) combinations; at most \(limit) are allowed"
        return PipelineError(.matrixTooLarge, reason, at: location)
    }

    /// An exclude entry matches when every key it names has the same value in the combination.
    private static func matches(_ combination: MatrixCombination, _ pairs: [(String, ExpressionValue)]) -> Bool {
        pairs.allSatisfy { combination[$0.0] == $0.1 }
    }

    /// An include entry fits when it agrees with the combination on every original dimension key.
    private static func fits(
        _ pairs: [(String, ExpressionValue)], _ combination: MatrixCombination, _ dimensionKeys: Set<String>
    ) -> Bool {
        pairs.allSatisfy { !dimensionKeys.contains($0.0) || combination[$0.0] == $0.1 }
    }
}
