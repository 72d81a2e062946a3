/// `dataset/standardize`: fits mean and scale on one dataset and applies them to others, so
/// nothing leaks from test data into training. Creates `<name><suffix>` for each applied dataset
/// (suffix default `.std`), or replaces them when `in_place` is true.
public enum DatasetStandardize: RequestMethod {
    public static let method = "dataset/standardize"

    public struct Params: Codable, Sendable, Equatable, KnownFields {
        public static let fieldNames = ["fit", "apply", "suffix", "in_place", "keep"]
        public var fit: String
        /// Default: only the fitted dataset.
        public var apply: [String]?
        public var suffix: String?
        public var inPlace: Bool?
        /// Whether what it makes is kept across restarts (default true; nothing is kept by a daemon
        /// started with `--no-keep-datasets` or `--ephemeral`). Not kept, a dataset lives in memory
        /// only, and only its provenance is recorded.
        public var keep: Bool?
        public init(fit: String, apply: [String]? = nil, suffix: String? = nil, inPlace: Bool? = nil) {
            self.fit = fit
            self.apply = apply
            self.suffix = suffix
            self.inPlace = inPlace
        }
        enum CodingKeys: String, CodingKey {
            case fit, apply, suffix, keep
            case inPlace = "in_place"
        }
    }

    public struct Result: Codable, Sendable, Equatable {
        public var mean: [Double]
        public var scale: [Double]
        /// Applied dataset → the dataset written.
        public var outputs: [String: String]
        /// How an applied dataset was matched to the fitted one's columns, when it took more than a look.
        public var warnings: [String]?
        public init(mean: [Double], scale: [Double], outputs: [String: String], warnings: [String]? = nil) {
            self.mean = mean
            self.scale = scale
            self.outputs = outputs
            self.warnings = warnings
        }
    }
}

/// `dataset/resample`: random over-sampling, random under-sampling or SMOTE of a training set.
/// Resampling belongs inside the training split only: resample after splitting, never before,
/// or copies of test rows leak into training and the scores lie.
public enum DatasetResample: RequestMethod {
    public static let method = "dataset/resample"

    public struct Params: Codable, Sendable, Equatable, KnownFields {
        public static let fieldNames = ["dataset", "method", "ratio", "k", "seed", "name", "keep"]
        public var dataset: String
        /// `over`, `under` or `smote`.
        public var method: ResampleMethodName
        /// Minority rows over majority rows after resampling (default 1).
        public var ratio: Double?
        /// SMOTE's neighbours (default 5).
        public var k: Int?
        public var seed: UInt64?
        /// Default: `<dataset>.<method>`.
        public var name: String?
        /// Whether what it makes is kept across restarts (default true; nothing is kept by a daemon
        /// started with `--no-keep-datasets` or `--ephemeral`). Not kept, a dataset lives in memory
        /// only, and only its provenance is recorded.
        public var keep: Bool?
        public init(dataset: String, method: ResampleMethodName, ratio: Double? = nil, k: Int? = nil, seed: UInt64? = nil, name: String? = nil) {
            self.dataset = dataset
            self.method = method
            self.ratio = ratio
            self.k = k
            self.seed = seed
            self.name = name
        }
    }

    public typealias Result = DatasetSummary
}
