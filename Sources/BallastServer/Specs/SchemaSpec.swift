import BallastML
import BallastProtocol

extension DatasetSchema {
    init(_ columns: [SchemaColumn]) {
        self.init(columns: columns.map { column in
            column.levels.map { .categorical(name: column.name, levels: $0) } ?? .numeric(name: column.name)
        })
    }

    /// The wire form; `nil` when every column is numeric (the feature names say it all).
    var wireColumns: [SchemaColumn]? {
        guard columns.contains(where: { if case .categorical = $0 { true } else { false } }) else { return nil }
        return columns.map { column in
            switch column {
            case .numeric(let name): SchemaColumn(name: name)
            case let .categorical(name, levels): SchemaColumn(name: name, levels: levels)
            }
        }
    }
}
