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
    /// Bytes held in daemon memory (features and labels; for a disk dataset, its labels and ids).
    public var bytes: Int
    /// Where the features are; nil from a daemon before 1.9 (memory).
    public var storage: DatasetStorageName?
    /// A disk dataset's bytes on disk (its row file's features and classes); for a view, the bytes
    /// of the rows it reads in its base's file (shared with the base: no file of its own).
    public var diskBytes: Int?
    /// True for a row-index view of a disk dataset (a split, fold, over- or under-sample of one,
    /// since 1.10): `storage` is "disk", the features are read from the base dataset's row file
    /// through a row map, and `bytes` counts the map, classes and ids. Absent otherwise.
    public var view: Bool?
    /// True when a dataset of the same name was replaced.
    public var replaced: Bool?
    /// What the person should know, such as datasets made from the replaced one that still hold its data.
    public var warnings: [String]?

    public init(name: String, rows: Int, features: Int, featureNames: [String], classes: [ClassCount],
                imbalanceRatio: Double, positive: String?, bytes: Int, replaced: Bool? = nil,
                warnings: [String]? = nil, storage: DatasetStorageName? = nil, diskBytes: Int? = nil, view: Bool? = nil) {
        self.view = view
        self.warnings = warnings
        self.storage = storage
        self.diskBytes = diskBytes
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
        case name, rows, features, classes, positive, bytes, replaced, warnings, storage, view
        case diskBytes = "disk_bytes"
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

/// `storage` of `dataset/load` and of a dataset's summary: where the features are.
public enum DatasetStorageName: String, WireName {
    /// Parsed into daemon memory.
    case memory
    /// In a row file on disk, mapped on demand.
    case disk
    public static let kind = "storage"
    public static let kinds = "storages"
}
