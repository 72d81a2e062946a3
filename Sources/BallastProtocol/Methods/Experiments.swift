/// `experiment/compare`: the seed's experiment in one request. Trains one model per arm on
/// `train` and scores each on `test` by the rare class's recall, precision and F1, PR-AUC,
/// ROC-AUC and MCC.
public enum ExperimentCompare: RequestMethod {
    public static let method = "experiment/compare"

    public struct Params: Codable, Sendable, Equatable, KnownFields {
        public static let fieldNames = ["train", "test", "validation", "arms", "model", "optimizer", "l2", "seed",
                                        "progress_token"]
        public static var nestedFields: [String: any KnownFields.Type] {
            ["model": ModelSpec.self, "optimizer": OptimizerSpec.self]
        }
        public var train: String
        public var test: String
        /// Needed by `ce_best_f1` (the threshold is tuned on it); without it that arm is skipped.
        public var validation: String?
        /// Default: every arm (protocol/README.md lists them).
        public var arms: [ArmName]?
        public var model: ModelSpec?
        public var optimizer: OptimizerSpec?
        public var l2: Double?
        public var seed: UInt64?
        public var progressToken: JSONValue?

        public init(train: String, test: String, validation: String? = nil, arms: [ArmName]? = nil) {
            self.train = train
            self.test = test
            self.validation = validation
            self.arms = arms
        }

        enum CodingKeys: String, CodingKey {
            case train, test, validation, arms, model, optimizer, l2, seed
            case progressToken = "progress_token"
        }
    }

    public struct Row: Codable, Sendable, Equatable {
        public var arm: ArmName
        public var description: String
        public var recall: Double
        public var precision: Double
        public var f1: Double
        public var prAUC: Double
        public var rocAUC: Double
        public var mcc: Double
        public var threshold: Double
        public var seconds: Double
        public init(arm: ArmName, description: String, recall: Double, precision: Double, f1: Double, prAUC: Double,
                    rocAUC: Double, mcc: Double, threshold: Double, seconds: Double) {
            self.arm = arm
            self.description = description
            self.recall = recall
            self.precision = precision
            self.f1 = f1
            self.prAUC = prAUC
            self.rocAUC = rocAUC
            self.mcc = mcc
            self.threshold = threshold
            self.seconds = seconds
        }
        enum CodingKeys: String, CodingKey {
            case arm, description, recall, precision, f1, mcc, threshold, seconds
            case prAUC = "pr_auc"
            case rocAUC = "roc_auc"
        }
    }

    public struct Result: Codable, Sendable, Equatable {
        public var run: String
        public var rows: [Row]
        /// Arms left out, with the reason (e.g. `ce_best_f1` without a validation set).
        public var skipped: [String: String]
        /// How `test` and `validation` were matched to `train`'s columns, when it took more than a look.
        public var warnings: [String]?
        public init(run: String, rows: [Row], skipped: [String: String], warnings: [String]? = nil) {
            self.run = run
            self.rows = rows
            self.skipped = skipped
            self.warnings = warnings
        }
    }
}

/// `experiment/sweep`: the seed's "trial and error" done properly: k-fold cross-validated mean
/// and standard deviation of a metric for each value of one parameter, and the best value.
public enum ExperimentSweep: RequestMethod {
    public static let method = "experiment/sweep"

    public struct Params: Codable, Sendable, Equatable, KnownFields {
        public static let fieldNames = ["dataset", "param", "grid", "folds", "metric", "model", "optimizer", "l2",
                                        "seed", "progress_token", "engine", "source"]
        public static var nestedFields: [String: any KnownFields.Type] {
            ["model": ModelSpec.self, "optimizer": OptimizerSpec.self, "source": TrainingSource.self]
        }
        public var dataset: String
        /// `w` (the rare class's weight in the seed's binary WCE), `beta` (effective number), `gamma` (focal loss).
        public var param: SweepParamName
        public var grid: [Double]
        /// Default 5.
        public var folds: Int?
        /// `f1` (default), `pr_auc`, `roc_auc`, `recall`, `precision`, `mcc`, `balanced_accuracy`.
        public var metric: MetricName?
        public var model: ModelSpec?
        public var optimizer: OptimizerSpec?
        public var l2: Double?
        public var seed: UInt64?
        public var progressToken: JSONValue?
        /// Since 1.10: `local` (default) or `spark`: each fold's logistic or softmax fit runs on
        /// Spark through the daemon's sidecar, folds assigned inside Spark (`w` and `beta` only;
        /// `pr_auc` and `roc_auc` stay local).
        public var engine: EngineName?
        /// Since 1.10, spark only: the file Spark reads, as `model/train`'s. Default: the CSV the
        /// dataset was loaded from.
        public var source: TrainingSource?

        public init(dataset: String, param: SweepParamName, grid: [Double], folds: Int? = nil, metric: MetricName? = nil) {
            self.dataset = dataset
            self.param = param
            self.grid = grid
            self.folds = folds
            self.metric = metric
        }

        enum CodingKeys: String, CodingKey {
            case dataset, param, grid, folds, metric, model, optimizer, l2, seed, engine, source
            case progressToken = "progress_token"
        }
    }

    public struct Point: Codable, Sendable, Equatable {
        public var value: Double
        public var mean: Double
        public var sd: Double
        public var folds: [Double]
        public init(value: Double, mean: Double, sd: Double, folds: [Double]) {
            self.value = value
            self.mean = mean
            self.sd = sd
            self.folds = folds
        }
    }

    public struct Result: Codable, Sendable, Equatable {
        public var run: String
        public var param: SweepParamName
        public var metric: MetricName
        public var results: [Point]
        public var best: Point
        /// Since 1.8: the folds asked for and used, and the repeats (each point's `folds` holds
        /// repeats × folds scores, repeat-major). Absent from older daemons.
        public var folds: FoldPlanReport?
        public init(run: String, param: SweepParamName, metric: MetricName, results: [Point], best: Point,
                    folds: FoldPlanReport? = nil) {
            self.run = run
            self.param = param
            self.metric = metric
            self.results = results
            self.best = best
            self.folds = folds
        }
    }
}

/// The cross-validation an experiment ran: the folds asked for, the folds used (fewer when a
/// class has fewer rows than folds), the repeats, and a sentence when anything was adapted.
public struct FoldPlanReport: Codable, Sendable, Equatable {
    public var requested: Int
    public var used: Int
    public var repeats: Int
    public var note: String?
    public init(requested: Int, used: Int, repeats: Int, note: String? = nil) {
        self.requested = requested
        self.used = used
        self.repeats = repeats
        self.note = note
    }
}
