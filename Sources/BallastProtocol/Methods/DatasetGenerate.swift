/// `dataset/generate`: synthetic imbalanced classification data, deterministic for a seed.
/// A `preset` (`fraud`, …) gives the shape; explicit fields override it.
public enum DatasetGenerate: RequestMethod {
    public static let method = "dataset/generate"

    public struct Params: Codable, Sendable, Equatable, KnownFields {
        public static let fieldNames = ["preset", "name", "seed", "rows", "features", "informative",
                                        "positive_rate", "class_weights", "separation", "noise", "keep"]
        public var preset: PresetName?
        /// Default: the preset's name, or `synthetic`.
        public var name: String?
        public var seed: UInt64?
        public var rows: Int?
        public var features: Int?
        public var informative: Int?
        /// Binary data: the fraction of positive rows.
        public var positiveRate: Double?
        /// Multiclass data: the proportion of each class (normalised to sum to 1).
        public var classWeights: [Double]?
        public var separation: Double?
        /// Fraction of rare-class labels swapped with majority labels.
        public var noise: Double?
        /// Whether what it makes is kept across restarts (default true; nothing is kept by a daemon
        /// started with `--no-keep-datasets` or `--ephemeral`). Not kept, a dataset lives in memory
        /// only, and only its provenance is recorded.
        public var keep: Bool?

        public init(preset: PresetName? = nil, name: String? = nil, seed: UInt64? = nil, rows: Int? = nil,
                    features: Int? = nil, informative: Int? = nil, positiveRate: Double? = nil,
                    classWeights: [Double]? = nil, separation: Double? = nil, noise: Double? = nil) {
            self.preset = preset
            self.name = name
            self.seed = seed
            self.rows = rows
            self.features = features
            self.informative = informative
            self.positiveRate = positiveRate
            self.classWeights = classWeights
            self.separation = separation
            self.noise = noise
        }

        enum CodingKeys: String, CodingKey {
            case preset, name, seed, rows, features, informative, separation, noise, keep
            case positiveRate = "positive_rate"
            case classWeights = "class_weights"
        }
    }

    public typealias Result = DatasetSummary
}
