import BallastML
import BallastProtocol
import Foundation

extension Handlers {
    /// `dataset/head`.
    func registerDatasetHead(into table: inout MethodTable) {
        table.register(DatasetHead.self) { params, _ in
            let count = params.rows ?? DatasetHead.defaultRows
            guard (1...DatasetHead.maxRows).contains(count) else {
                throw RPCError.invalidParams("rows must be between 1 and \(DatasetHead.maxRows), got \(count); page through a larger dataset with offset.",
                                             field: "rows")
            }
            let offset = params.offset ?? 0
            guard offset >= 0 else {
                throw RPCError.invalidParams("offset must be 0 or more (the first row is 0), got \(offset).", field: "offset")
            }
            let dataset = try workspace.dataset(params.dataset)
            let shown = offset < dataset.rowCount ? offset..<min(dataset.rowCount, offset + count) : 0..<0
            return DatasetHead.Result(dataset: params.dataset, totalRows: dataset.rowCount, offset: offset,
                                      featureNames: dataset.featureNames, columns: dataset.schema.wireColumns,
                                      rows: shown.map { Self.headRow($0, of: dataset) })
        }
    }

    /// One row as a person reads it: each value the shortest decimal that is the stored float32
    /// (`0.1`, not `0.100000001490116`), and each text column's level read back from its features.
    static func headRow(_ row: Int, of dataset: Dataset) -> DatasetHead.Row {
        let width = dataset.featureCount
        let stored = dataset.features[(row * width)..<((row + 1) * width)]
        var levels: [String: String?] = [:]
        var start = 0, hasText = false
        for column in dataset.schema.columns {
            let features = column.featureNames.count
            if case let .categorical(name, names) = column {
                hasText = true
                let slice = Array(stored.dropFirst(start).prefix(features))
                if let level = oneHotLevel(slice, levels: names) { levels.updateValue(level, forKey: name) }
            }
            start += features
        }
        return DatasetHead.Row(row: row, id: dataset.ids?[row], values: stored.map { Double("\($0)") ?? Double($0) },
                               label: dataset.classLabels[Int(dataset.classIndex[row])],
                               levels: hasText ? levels : nil)
    }

    /// The level whose feature is 1 while the others are 0; `.some(nil)` when every feature is 0
    /// (a level the schema never saw, encoded as zeros); `nil` when the features are not 0/1
    /// (standardized or interpolated), so no level can be named honestly.
    static func oneHotLevel(_ features: [Float], levels: [String]) -> String?? {
        guard features.allSatisfy({ $0 == 0 || $0 == 1 }) else { return nil }
        let ones = features.indices.filter { features[$0] == 1 }
        switch ones.count {
        case 0: return .some(nil)
        case 1: return .some(levels[ones[0]])
        default: return nil
        }
    }
}
