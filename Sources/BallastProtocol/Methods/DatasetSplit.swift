/// `dataset/split`: stratified, deterministic train / validation / test split. Creates
/// `<dataset>.train`, `<dataset>.validation` (when `validation` > 0) and `<dataset>.test`
/// (when `test` > 0), or the names given in `names`.
public enum DatasetSplit: RequestMethod {
    public static let method = "dataset/split"

    public struct Params: Codable, Sendable, Equatable, KnownFields {
        public static let fieldNames = ["dataset", "test", "validation", "seed", "stratify", "prefix", "keep"]
        public var dataset: String
        /// Fraction of rows for the test part (default 0.3).
        public var test: Double?
        /// Fraction of rows for the validation part (default 0).
        public var validation: Double?
        public var seed: UInt64?
        /// Must be true (the default): unstratified splits lose rare-class rows by chance.
        public var stratify: Bool?
        /// Names are `<prefix>.train` etc. Default: the dataset's name.
        public var prefix: String?
        /// Whether what it makes is kept across restarts (default true; nothing is kept by a daemon
        /// started with `--no-keep-datasets` or `--ephemeral`). Not kept, a dataset lives in memory
        /// only, and only its provenance is recorded.
        public var keep: Bool?

        public init(dataset: String, test: Double? = nil, validation: Double? = nil, seed: UInt64? = nil,
                    stratify: Bool? = nil, prefix: String? = nil) {
            self.dataset = dataset
            self.test = test
            self.validation = validation
            self.seed = seed
            self.stratify = stratify
            self.prefix = prefix
        }
    }

    public struct Result: Codable, Sendable, Equatable {
        public var train: String
        public var validation: String?
        public var test: String?
        public var datasets: [DatasetSummary]
        public init(train: String, validation: String?, test: String?, datasets: [DatasetSummary]) {
            self.train = train
            self.validation = validation
            self.test = test
            self.datasets = datasets
        }
    }
}

/// `dataset/kfold`: stratified k-fold assignment; with `materialize`, creates
/// `<dataset>.fold<i>.train` and `<dataset>.fold<i>.test` for i = 1…k.
public enum DatasetKFold: RequestMethod {
    public static let method = "dataset/kfold"

    public struct Params: Codable, Sendable, Equatable, KnownFields {
        public static let fieldNames = ["dataset", "folds", "seed", "materialize", "keep"]
        public var dataset: String
        public var folds: Int?
        public var seed: UInt64?
        public var materialize: Bool?
        /// Whether what it makes is kept across restarts (default true; nothing is kept by a daemon
        /// started with `--no-keep-datasets` or `--ephemeral`). Not kept, a dataset lives in memory
        /// only, and only its provenance is recorded.
        public var keep: Bool?
        public init(dataset: String, folds: Int? = nil, seed: UInt64? = nil, materialize: Bool? = nil) {
            self.dataset = dataset
            self.folds = folds
            self.seed = seed
            self.materialize = materialize
        }
    }

    public struct Result: Codable, Sendable, Equatable {
        public var folds: [Fold]
        public init(folds: [Fold]) { self.folds = folds }
    }

    public struct Fold: Codable, Sendable, Equatable {
        public var index: Int
        /// Held-out rows of this fold, per class.
        public var classes: [ClassCount]
        public var train: String?
        public var test: String?
        public init(index: Int, classes: [ClassCount], train: String?, test: String?) {
            self.index = index
            self.classes = classes
            self.train = train
            self.test = test
        }
    }
}
