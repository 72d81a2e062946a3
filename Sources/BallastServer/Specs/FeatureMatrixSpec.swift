import BallastML
import BallastProtocol

/// `model/predict`'s binary input: `features`, a float32 buffer of `count` rows × `columns`
/// (row-major), whose columns are matched to the model's features by name, as everywhere: the
/// same names in another order are re-ordered (and a warning says so); a missing, extra or
/// repeated name is refused naming it. A text column is sent as its one-hot features, named as
/// `dataset/describe` names them (`country=DE`).
enum FeatureMatrixSpec {
    /// The matrix as a dataset encoded for `model`, with the warnings its matching took. Its rows
    /// carry no labels (every class index is 0): only the model's probabilities are asked of it.
    static func dataset(_ reference: BufferReference, columns: [String]?, count: Int?, model: TrainedModel,
                        buffers: RequestBuffers) throws(RPCError) -> (dataset: Dataset, warnings: [String]) {
        guard let columns else {
            throw .invalidParams("Give 'columns', the name of each column of the 'features' matrix.", field: "columns")
        }
        guard let count else {
            throw .invalidParams("Give 'count', the number of rows of the 'features' matrix.", field: "count")
        }
        guard count >= 0 else { throw .invalidParams("'count' must be 0 or more, got \(count).", field: "count") }
        let wanted = model.featureNames
        let position = try positions(of: wanted, in: columns)
        let width = columns.count
        let (cells, overflow) = count.multipliedReportingOverflow(by: width)
        guard !overflow else { throw .invalidParams("\(count) rows of \(width) columns is not a size a buffer can have.", field: "count") }
        let values = try buffers.floats(reference, field: "features", count: cells)
        if let bad = values.firstIndex(where: { !$0.isFinite }) {
            let row = bad / max(width, 1), column = columns[bad % max(width, 1)]
            throw RPCError(code: ErrorCode.invalidParams,
                           message: "The features must be finite numbers; row \(row), column '\(column)' holds \(values[bad]).",
                           data: ["field": "features", "row": .int(Int64(row)), "column": .string(column)])
        }
        let inOrder = position.enumerated().allSatisfy { $0.offset == $0.element }
        var features = values
        if !inOrder {
            features = [Float](repeating: 0, count: count * wanted.count)
            values.withUnsafeBufferPointer { from in
                features.withUnsafeMutableBufferPointer { to in
                    for row in 0..<count {
                        for (target, source) in position.enumerated() { to[row * wanted.count + target] = from[row * width + source] }
                    }
                }
            }
        }
        let dataset = Dataset(schema: model.schema, features: features, classIndex: [Int32](repeating: 0, count: count),
                              classLabels: model.classLabels, positiveClass: model.positiveClass)
        return (dataset, inOrder ? [] : ["The columns of 'features' stood in another order than the model's features; they were matched by name."])
    }

    /// Where each of `wanted` stands in `columns`; refused naming what is missing, extra or repeated.
    private static func positions(of wanted: [String], in columns: [String]) throws(RPCError) -> [Int] {
        var index: [String: Int] = [:]
        var repeated: [String] = []
        for (position, name) in columns.enumerated() {
            if index[name] != nil { repeated.append(name) } else { index[name] = position }
        }
        if !repeated.isEmpty {
            throw RPCError(code: ErrorCode.invalidParams,
                           message: "Columns cannot be matched by name when a name is used twice: \(list(Array(Set(repeated)).sorted())).",
                           data: ["field": "columns", "repeated": .array(Array(Set(repeated)).sorted().map { .string($0) })])
        }
        let known = Set(wanted)
        let missing = wanted.filter { index[$0] == nil }
        let extra = columns.filter { !known.contains($0) }
        if !missing.isEmpty || !extra.isEmpty {
            var parts: [String] = []
            if !missing.isEmpty { parts.append("it lacks \(list(missing))") }
            if !extra.isEmpty { parts.append("it has \(list(extra)) besides") }
            throw RPCError(code: ErrorCode.invalidParams,
                           message: "The columns of 'features' differ from the model's features: \(parts.joined(separator: " and ")).",
                           data: ["field": "columns", "missing": .array(missing.map { .string($0) }), "extra": .array(extra.map { .string($0) })])
        }
        return wanted.map { index[$0]! }
    }

    /// `'a', 'b'`, at most ten names and how many more.
    private static func list(_ names: [String]) -> String {
        names.prefix(10).map { "'\($0)'" }.joined(separator: ", ") + (names.count > 10 ? " and \(names.count - 10) more" : "")
    }
}
