/// Params of the methods that act on one dataset by name.
public struct DatasetRef: Codable, Sendable, Equatable, KnownFields {
    public static let fieldNames = ["dataset"]
    public var dataset: String
    public init(dataset: String) { self.dataset = dataset }
}

/// `dataset/list`: every dataset in the workspace, and the memory they hold.
public enum DatasetList: RequestMethod {
    public static let method = "dataset/list"
    public typealias Params = NoParams

    public struct Result: Codable, Sendable, Equatable {
        public var datasets: [DatasetSummary]
        public var bytesUsed: Int
        public var memoryBudget: Int
        /// Datasets an earlier daemon held that did not come back at this start (not kept,
        /// evicted, missing, damaged), with how to make each again; absent when there are none.
        public var unavailable: [DatasetUnavailable]?
        public init(datasets: [DatasetSummary], bytesUsed: Int, memoryBudget: Int, unavailable: [DatasetUnavailable]? = nil) {
            self.datasets = datasets
            self.bytesUsed = bytesUsed
            self.memoryBudget = memoryBudget
            self.unavailable = unavailable
        }
        enum CodingKeys: String, CodingKey {
            case datasets, unavailable
            case bytesUsed = "bytes_used"
            case memoryBudget = "memory_budget"
        }
    }
}

/// `dataset/describe`: the summary plus per-feature statistics.
public enum DatasetDescribe: RequestMethod {
    public static let method = "dataset/describe"
    public typealias Params = DatasetRef

    public struct Result: Codable, Sendable, Equatable {
        public var dataset: DatasetSummary
        public var featureStats: [FeatureStats]
        /// How the dataset was made: `generated`, `loaded`, `split`, `resampled`, `standardized`, `fold`.
        public var origin: DatasetOriginName
        /// The source columns, present when one is text (one-hot encoded into `name=level` features).
        public var columns: [SchemaColumn]?
        /// The content fingerprint of its data (BLAKE2b-256 over schema, labels, ids, classes and
        /// features, as 64 hex digits): equal fingerprints, equal data. Runs record it too.
        public var fingerprint: String?
        public init(dataset: DatasetSummary, featureStats: [FeatureStats], origin: DatasetOriginName, columns: [SchemaColumn]? = nil,
                    fingerprint: String? = nil) {
            self.columns = columns
            self.dataset = dataset
            self.featureStats = featureStats
            self.origin = origin
            self.fingerprint = fingerprint
        }
        enum CodingKeys: String, CodingKey {
            case dataset, origin, columns, fingerprint
            case featureStats = "feature_stats"
        }
    }

    /// Population statistics (ddof 0) computed in double precision.
    public struct FeatureStats: Codable, Sendable, Equatable {
        public var name: String
        public var mean: Double
        public var std: Double
        public var min: Double
        public var max: Double
        /// Missing cells in the source file (before `drop_rows` or `impute_mean`).
        public var missing: Int
        public init(name: String, mean: Double, std: Double, min: Double, max: Double, missing: Int) {
            self.name = name
            self.mean = mean
            self.std = std
            self.min = min
            self.max = max
            self.missing = missing
        }
    }
}

/// `dataset/drop`: frees a dataset's memory. Refused while a running job uses it.
public enum DatasetDrop: RequestMethod {
    public static let method = "dataset/drop"
    public typealias Params = DatasetRef

    public struct Result: Codable, Sendable, Equatable {
        public var dropped: String
        public var bytesFreed: Int
        public init(dropped: String, bytesFreed: Int) {
            self.dropped = dropped
            self.bytesFreed = bytesFreed
        }
        enum CodingKeys: String, CodingKey {
            case dropped
            case bytesFreed = "bytes_freed"
        }
    }
}

/// `dataset/head`: some of a dataset's rows as stored, for a person looking at the data.
public enum DatasetHead: RequestMethod {
    public static let method = "dataset/head"
    /// `rows` when the request gives none.
    public static let defaultRows = 10
    /// The most rows one request returns: a look at the data, not an export.
    public static let maxRows = 1_000

    public struct Params: Codable, Sendable, Equatable, KnownFields {
        public static let fieldNames = ["dataset", "rows", "offset"]
        public var dataset: String
        /// How many rows, 1 … `maxRows` (default `defaultRows`).
        public var rows: Int?
        /// The first row's number, 0-based (default 0). Past the end gives no rows.
        public var offset: Int?
        public init(dataset: String, rows: Int? = nil, offset: Int? = nil) {
            self.dataset = dataset
            self.rows = rows
            self.offset = offset
        }
    }

    public struct Result: Codable, Sendable, Equatable {
        public var dataset: String
        /// Rows in the whole dataset, so a client can page.
        public var totalRows: Int
        public var offset: Int
        public var featureNames: [String]
        /// The source columns, present when one is text (as in `dataset/describe`).
        public var columns: [SchemaColumn]?
        public var rows: [Row]
        public init(dataset: String, totalRows: Int, offset: Int, featureNames: [String], columns: [SchemaColumn]?, rows: [Row]) {
            self.dataset = dataset
            self.totalRows = totalRows
            self.offset = offset
            self.featureNames = featureNames
            self.columns = columns
            self.rows = rows
        }
        enum CodingKeys: String, CodingKey {
            case dataset, offset, columns, rows
            case totalRows = "total_rows"
            case featureNames = "feature_names"
        }
    }

    /// One row: its number in the dataset, its features exactly as stored (one per feature name,
    /// the one-hot features of a text column included), its label and, when the dataset has text
    /// columns, each one's level read back from its one-hot features.
    public struct Row: Codable, Sendable, Equatable {
        /// 0-based, counted in the dataset (`offset` + position in `rows`).
        public var row: Int
        /// The row's identifier, when the dataset was loaded with an `id` column.
        public var id: String?
        public var values: [Double]
        public var label: String
        /// Text column → its level; `null` when the row's features of that column are all zero
        /// (a level unseen when the schema was fixed, encoded by `unseen_levels: zeros`). A column
        /// whose features are no longer 0/1 (standardized, SMOTE) is left out. Present when `columns` is.
        public var levels: [String: String?]?
        public init(row: Int, id: String? = nil, values: [Double], label: String, levels: [String: String?]? = nil) {
            self.row = row
            self.id = id
            self.values = values
            self.label = label
            self.levels = levels
        }
    }
}
