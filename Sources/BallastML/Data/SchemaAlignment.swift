/// What to do with a level of a text column that the schema does not know (`AT` where training
/// saw `DE`, `FR`, `NL`).
public enum UnseenLevels: Sendable, Equatable {
    /// Refuse the data, naming the column and the level.
    case refuse
    /// Encode such rows as all zeros in that column's features, and count them.
    case encodeAsZeros
}

/// A dataset re-encoded to another dataset's or a model's schema, and what that took.
public struct Alignment: Sendable {
    public var dataset: Dataset
    /// The same columns stood in another order and were matched by name.
    public var reordered: Bool
    /// Text columns whose levels differed but fit (levels the data lacks become zero columns).
    public var relevelled: [String]
    /// Rows encoded as zeros in a column because their level is unseen: column → level → rows.
    public var zeroEncoded: [String: [String: Int]]
}

extension Dataset {
    /// This data encoded as `schema` says, its columns matched by name: the same features in the
    /// same order with the same one-hot levels, and its classes numbered as `classes` with
    /// `positiveClass` (the other side's) as the positive one.
    ///
    /// A column the schema has and the data lacks, one the data has and the schema lacks, a
    /// column numeric on one side and text on the other, and a class outside `classes` are
    /// refused with every such name listed; an unseen level is refused or encoded as zeros.
    public func aligned(to schema: DatasetSchema, classes: [String], positiveClass: Int?,
                        unseenLevels: UnseenLevels) throws(InvalidArgument) -> Alignment {
        for side in [self.schema, schema] {
            let names = side.columns.map(\.name)
            if Set(names).count < names.count {
                let twice = names.filter { name in names.filter { $0 == name }.count > 1 }
                throw InvalidArgument(field: .dataset, message: "Columns cannot be matched by name when a name is used twice: \(Self.list(Array(Set(twice)).sorted())).")
            }
        }
        // Classes the data names but holds no row of (a split part can lack one) are no strangers.
        let strangers = zip(classLabels, classCounts).filter { $1 > 0 && !classes.contains($0) }.map(\.0)
        if !strangers.isEmpty {
            throw InvalidArgument(field: .dataset,
                                  message: "The data has classes the model was not trained on: \(Self.list(strangers.sorted())) (it knows \(Self.list(classes))).")
        }
        let classMap = classLabels.map { label in Int32(classes.firstIndex(of: label) ?? 0) }
        if featureNames == schema.featureNames {
            // The same features in the same order (a model file that predates schemas sees text
            // columns as numeric ones named `column=level`): only the classes need numbering.
            let dataset = Dataset(schema: schema, features: features, classIndex: classIndex.map { classMap[Int($0)] },
                                  classLabels: classes, positiveClass: positiveClass, ids: ids)
            return Alignment(dataset: dataset, reordered: false, relevelled: [], zeroEncoded: [:])
        }
        let mine = Dictionary(self.schema.columns.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { a, _ in a })
        let wanted = Set(schema.columns.map(\.name))
        let missing = schema.columns.map(\.name).filter { mine[$0] == nil }
        let extra = self.schema.columns.map(\.name).filter { !wanted.contains($0) }
        if !missing.isEmpty || !extra.isEmpty {
            var parts: [String] = []
            if !missing.isEmpty { parts.append("it lacks \(Self.list(missing))") }
            if !extra.isEmpty { parts.append("it has \(Self.list(extra)) besides") }
            throw InvalidArgument(field: .dataset, message: "The data's columns differ from the ones it must match: \(parts.joined(separator: " and ")).")
        }
        // Where each target feature comes from in this data's rows (nil: a level the data lacks).
        var sources: [Int?] = []
        var unseen: [(column: String, features: [Int], levels: [String])] = []
        var relevelled: [String] = []
        let offsets = self.schema.columns.reduce(into: [0]) { $0.append($0.last! + $1.featureNames.count) }
        for target in schema.columns {
            let index = mine[target.name]!
            let source = self.schema.columns[index]
            let start = offsets[index]
            switch (target, source) {
            case (.numeric, .numeric):
                sources.append(start)
            case let (.categorical(name, levels), .categorical(_, have)):
                let position = Dictionary(have.enumerated().map { ($1, start + $0) }, uniquingKeysWith: { a, _ in a })
                sources += levels.map { position[$0] }
                let new = have.filter { !levels.contains($0) }
                if have != levels { relevelled.append(name) }
                if !new.isEmpty { unseen.append((name, new.map { position[$0]! }, new)) }
            case (.numeric(let name), .categorical):
                throw InvalidArgument(field: .dataset, message: "The column '\(name)' is text in the data but numeric where it must match.")
            case (.categorical(let name, _), .numeric):
                throw InvalidArgument(field: .dataset, message: "The column '\(name)' is numeric in the data but text where it must match.")
            }
        }
        var zeroEncoded: [String: [String: Int]] = [:]
        for (column, features, levels) in unseen {
            var counts: [String: Int] = [:]
            for (feature, level) in zip(features, levels) {
                let rows = (0..<rowCount).reduce(0) { $0 + (self.features[$1 * featureCount + feature] != 0 ? 1 : 0) }
                if rows > 0 { counts[level] = rows }
            }
            guard !counts.isEmpty else { continue }
            if unseenLevels == .refuse {
                let shown = counts.keys.sorted().map { "'\($0)' (\(counts[$0]!) row\(counts[$0]! == 1 ? "" : "s"))" }
                throw InvalidArgument(field: .dataset,
                                      message: "The column '\(column)' has level\(counts.count == 1 ? "" : "s") \(Self.list(shown, quoted: false)) never seen where it must match; ask for unseen levels to be encoded as zeros to accept such rows.")
            }
            zeroEncoded[column] = counts
        }
        let width = schema.featureNames.count, oldWidth = featureCount
        var values = [Float](repeating: 0, count: rowCount * width)
        // Row by row (`withRows`): a row-index view is read in place, never gathered first.
        features.withRows(width: oldWidth) { from in
            values.withUnsafeMutableBufferPointer { to in
                for row in 0..<rowCount {
                    let fromRow = from[row]
                    for (target, source) in sources.enumerated() {
                        if let source { to[row * width + target] = fromRow[source] }
                    }
                }
            }
        }
        let dataset = Dataset(schema: schema, features: values, classIndex: classIndex.map { classMap[Int($0)] },
                              classLabels: classes, positiveClass: positiveClass, ids: ids)
        let order = self.schema.columns.map(\.name)
        return Alignment(dataset: dataset, reordered: order != schema.columns.map(\.name),
                         relevelled: relevelled, zeroEncoded: zeroEncoded)
    }

    static func list(_ names: [String], quoted: Bool = true) -> String {
        let shown = names.prefix(10).map { quoted ? "'\($0)'" : $0 }
        return shown.joined(separator: ", ") + (names.count > 10 ? " and \(names.count - 10) more" : "")
    }
}
