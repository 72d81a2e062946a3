import BallastML
import BallastProtocol

extension PredictRow {
    /// The row's features in the model's order. An object names every column of the model once:
    /// a number for a numeric column, a level (string) for a text column, which is one-hot
    /// encoded as in training; an unseen level is refused or, by option, all zeros.
    func features(for schema: DatasetSchema, unseenLevels: UnseenLevels, field: String) throws(RPCError) -> [Float] {
        switch self {
        case .values(let values):
            guard values.count == schema.featureNames.count else {
                throw .invalidParams("This row has \(values.count) values; the model takes \(schema.featureNames.count) features.", field: field)
            }
            guard values.allSatisfy(\.isFinite) else { throw .invalidParams("This row holds a value that is not a finite number.", field: field) }
            return values.map(Float.init)
        case .named(let cells):
            let known = Set(schema.columns.map(\.name))
            if let stranger = cells.keys.sorted().first(where: { !known.contains($0) }) {
                throw .invalidParams("The model has no column '\(stranger)' (columns: \(schema.columns.map(\.name).joined(separator: ", "))).",
                                     field: "\(field).\(stranger)")
            }
            var row: [Float] = []
            row.reserveCapacity(schema.featureNames.count)
            for column in schema.columns {
                let path = "\(field).\(column.name)"
                guard let cell = cells[column.name] else { throw .invalidParams("The row lacks the column '\(column.name)'.", field: path) }
                switch column {
                case .numeric:
                    guard let value = cell.doubleValue, value.isFinite else {
                        throw .invalidParams("The column '\(column.name)' takes a finite number.", field: path)
                    }
                    row.append(Float(value))
                case .categorical(let name, let levels):
                    guard let level = cell.stringValue else {
                        throw .invalidParams("The column '\(name)' is text: give its level as a string (\(levels.prefix(10).joined(separator: ", "))).", field: path)
                    }
                    let index = levels.firstIndex(of: level)
                    if index == nil && unseenLevels == .refuse {
                        throw .invalidParams("The model never saw '\(level)' in the column '\(name)' (levels: \(levels.prefix(10).joined(separator: ", "))).",
                                             field: path)
                    }
                    row += levels.indices.map { $0 == index ? 1 : 0 }
                }
            }
            return row
        }
    }
}
