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
        public init(datasets: [DatasetSummary], bytesUsed: Int, memoryBudget: Int) {
            self.datasets = datasets
            self.bytesUsed = bytesUsed
            self.memoryBudget = memoryBudget
        }
        enum CodingKeys: String, CodingKey {
            case datasets
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
        public init(dataset: DatasetSummary, featureStats: [FeatureStats], origin: DatasetOriginName, columns: [SchemaColumn]? = nil) {
            self.columns = columns
            self.dataset = dataset
            self.featureStats = featureStats
            self.origin = origin
        }
        enum CodingKeys: String, CodingKey {
            case dataset, origin, columns
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
