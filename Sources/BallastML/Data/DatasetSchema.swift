/// What a dataset's features are: its source columns in order, each numeric or a text column
/// one-hot encoded into one feature per level (`country=DE`, `country=FR`, … in level order).
///
/// Two datasets are used together (a model and the data it scores, training and test data) only
/// when their schemas agree: `Dataset.aligned(to:classes:unseenLevels:)` matches them by name.
public struct DatasetSchema: Sendable, Equatable {
    public enum Column: Sendable, Equatable {
        case numeric(name: String)
        case categorical(name: String, levels: [String])

        public var name: String {
            switch self {
            case .numeric(let name), .categorical(let name, _): name
            }
        }

        /// The features this column becomes.
        public var featureNames: [String] {
            switch self {
            case .numeric(let name): [name]
            case let .categorical(name, levels): levels.map { Self.featureName(name, level: $0) }
            }
        }

        /// The feature a level of a text column becomes.
        public static func featureName(_ column: String, level: String) -> String { "\(column)=\(level)" }
    }

    public let columns: [Column]
    /// Every feature, in order: the columns' features one after the other.
    public let featureNames: [String]

    public init(columns: [Column]) {
        self.columns = columns
        featureNames = columns.flatMap(\.featureNames)
    }

    /// Every feature a numeric column of its own.
    public static func numeric(_ names: [String]) -> DatasetSchema {
        DatasetSchema(columns: names.map { .numeric(name: $0) })
    }
}
