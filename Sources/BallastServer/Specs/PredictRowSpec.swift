import BallastML
import BallastProtocol

/// Turns `model/predict`'s rows into the model's features. An object names every column of the
/// model once: a number for a numeric column, a level (string) for a text column, one-hot encoded
/// as in training; an unseen level is refused or, by option, all zeros, and counted.
struct PredictRowEncoder {
    let schema: DatasetSchema
    let unseenLevels: UnseenLevels
    private let columnNames: Set<String>
    private let levelIndex: [String: [String: Int]]
    /// Column → unseen level → rows encoded as zeros.
    private(set) var zeroEncoded: [String: [String: Int]] = [:]

    init(schema: DatasetSchema, unseenLevels: UnseenLevels) {
        self.schema = schema
        self.unseenLevels = unseenLevels
        columnNames = Set(schema.columns.map(\.name))
        var index: [String: [String: Int]] = [:]
        for case let .categorical(name, levels) in schema.columns {
            index[name] = Dictionary(levels.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        }
        levelIndex = index
    }

    mutating func features(_ row: PredictRow, field: String) throws(RPCError) -> [Float] {
        switch row {
        case .values(let values):
            guard values.count == schema.featureNames.count else {
                throw .invalidParams("This row has \(values.count) values; the model takes \(schema.featureNames.count) features.", field: field)
            }
            guard values.allSatisfy(\.isFinite) else { throw .invalidParams("This row holds a value that is not a finite number.", field: field) }
            return values.map(Float.init)
        case .named(let cells):
            if cells.count != columnNames.count || !cells.keys.allSatisfy(columnNames.contains) {
                if let stranger = cells.keys.sorted().first(where: { !columnNames.contains($0) }) {
                    throw .invalidParams("The model has no column '\(stranger)' (columns: \(schema.columns.map(\.name).joined(separator: ", "))).",
                                         field: "\(field).\(stranger)")
                }
            }
            var row: [Float] = []
            row.reserveCapacity(schema.featureNames.count)
            for column in schema.columns {
                guard let cell = cells[column.name] else {
                    throw .invalidParams("The row lacks the column '\(column.name)'.", field: "\(field).\(column.name)")
                }
                switch column {
                case .numeric(let name):
                    guard let value = cell.doubleValue, value.isFinite else {
                        throw .invalidParams("The column '\(name)' takes a finite number.", field: "\(field).\(name)")
                    }
                    row.append(Float(value))
                case .categorical(let name, let levels):
                    guard let level = cell.stringValue else {
                        throw .invalidParams("The column '\(name)' is text: give its level as a string (\(levels.prefix(10).joined(separator: ", "))).",
                                             field: "\(field).\(name)")
                    }
                    let index = levelIndex[name]?[level]
                    if index == nil {
                        guard unseenLevels == .encodeAsZeros else {
                            throw .invalidParams("The model never saw '\(level)' in the column '\(name)' (levels: \(levels.prefix(10).joined(separator: ", "))); send unseen_levels: zeros to encode it as zeros.",
                                                 field: "\(field).\(name)")
                        }
                        zeroEncoded[name, default: [:]][level, default: 0] += 1
                    }
                    let start = row.count
                    row += repeatElement(0, count: levels.count)
                    if let index { row[start + index] = 1 }
                }
            }
            return row
        }
    }

    /// What the person should know about the rows encoded as zeros.
    var warnings: [String] { Alignment.zeroEncodedWarnings(zeroEncoded, in: "rows") }
}
