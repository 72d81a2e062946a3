/// What every dataset-producing method returns about the dataset it made.
public struct DatasetSummary: Codable, Sendable, Equatable {
    public var name: String
    public var rows: Int
    public var features: Int
    public var featureNames: [String]
    public var classes: [ClassCount]
    /// Rows of the largest class over rows of the smallest.
    public var imbalanceRatio: Double
    /// The positive (rare) class label for binary data; absent for multiclass data.
    public var positive: String?
    /// Bytes held in daemon memory (features and labels).
    public var bytes: Int
    /// True when a dataset of the same name was replaced.
    public var replaced: Bool?
    /// What the person should know, such as datasets made from the replaced one that still hold its data.
    public var warnings: [String]?

    public init(name: String, rows: Int, features: Int, featureNames: [String], classes: [ClassCount],
                imbalanceRatio: Double, positive: String?, bytes: Int, replaced: Bool? = nil,
                warnings: [String]? = nil) {
        self.warnings = warnings
        self.name = name
        self.rows = rows
        self.features = features
        self.featureNames = featureNames
        self.classes = classes
        self.imbalanceRatio = imbalanceRatio
        self.positive = positive
        self.bytes = bytes
        self.replaced = replaced
    }

    enum CodingKeys: String, CodingKey {
        case name, rows, features, classes, positive, bytes, replaced, warnings
        case featureNames = "feature_names"
        case imbalanceRatio = "imbalance_ratio"
    }
}

public struct ClassCount: Codable, Sendable, Equatable {
    public var label: String
    public var count: Int
    public init(label: String, count: Int) {
        self.label = label
        self.count = count
    }
}
