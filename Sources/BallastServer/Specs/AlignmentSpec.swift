import BallastML
import BallastProtocol

extension UnseenLevels {
    init(_ name: UnseenLevelsName?) {
        switch name ?? .error {
        case .error: self = .refuse
        case .zeros: self = .encodeAsZeros
        }
    }
}

extension Alignment {
    /// What a person should know about how the data named `name` was matched, one sentence each.
    func warnings(for name: String) -> [String] {
        var said: [String] = []
        if reordered {
            said.append("The columns of '\(name)' stood in another order; they were matched by name.")
        }
        for column in relevelled.sorted() where zeroEncoded[column] == nil {
            said.append("The text column '\(column)' of '\(name)' has other levels than it must match; it was encoded with those levels, and levels it lacks are zero columns.")
        }
        return said + Self.zeroEncodedWarnings(zeroEncoded, in: name)
    }

    /// One sentence per text column whose unseen levels were encoded as zeros in `name`.
    static func zeroEncodedWarnings(_ zeroEncoded: [String: [String: Int]], in name: String) -> [String] {
        zeroEncoded.sorted(by: { $0.key < $1.key }).map { column, levels in
            let rows = levels.values.reduce(0, +)
            let shown = levels.sorted { $0.key < $1.key }.map { "'\($0.key)' \($0.value)" }.joined(separator: ", ")
            return "\(rows) row\(rows == 1 ? "" : "s") of '\(name)' \(rows == 1 ? "has a level" : "have levels") of '\(column)' never seen where it must match (\(shown)); \(rows == 1 ? "it was" : "they were") encoded as zeros in that column."
        }
    }
}

extension Handlers {
    /// `data` (named `name`, sent as `field`) encoded as `schema`, with `classes` and
    /// `positive`: its columns matched by name. Refusals name `field`; the warnings say what it took.
    static func align(_ data: Dataset, named name: String, field: String, to schema: DatasetSchema, classes: [String],
                      positive: Int?, unseenLevels: UnseenLevels = .refuse) throws -> (dataset: Dataset, warnings: [String]) {
        if data.schema == schema && data.classLabels == classes && data.positiveClass == positive { return (data, []) }
        let alignment = try WirePaths(overrides: [.dataset: field]).translating {
            try data.aligned(to: schema, classes: classes, positiveClass: positive, unseenLevels: unseenLevels)
        }
        return (alignment.dataset, alignment.warnings(for: name))
    }

    /// The missing-cell counts of `original`'s features, for the same data `aligned` to a schema:
    /// by feature name, and 0 for a feature the original lacks.
    static func missing(_ counts: [Int], of original: Dataset, as aligned: Dataset) -> [Int] {
        guard original.featureNames != aligned.featureNames else { return counts }
        let byName = Dictionary(zip(original.featureNames, counts), uniquingKeysWith: { a, _ in a })
        return aligned.featureNames.map { byName[$0] ?? 0 }
    }

    /// Data scored beside the training data (validation, test) is matched to its columns and classes.
    static func align(_ other: Dataset, named name: String, field: String, toTraining train: Dataset) throws -> (dataset: Dataset, warnings: [String]) {
        try align(other, named: name, field: field, to: train.schema, classes: train.classLabels, positive: train.positiveClass)
    }
}
