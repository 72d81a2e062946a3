/// `model/train`: trains a classifier on a dataset held in memory. A long request: it runs on the
/// job workers, reports `$/progress` (with a `progress_token`) and `run.<id>` events, and can be
/// cancelled with `$/cancelRequest` or `run/cancel`.
public enum ModelTrain: RequestMethod {
    public static let method = "model/train"

    public struct Params: Codable, Sendable, Equatable, KnownFields {
        public static let fieldNames = ["dataset", "validation", "name", "model", "loss", "optimizer", "l2", "reduction",
                                        "seed", "early_stopping", "threshold", "progress_token", "keep", "sample_weight",
                                        "resample", "engine", "source"]
        public static var nestedFields: [String: any KnownFields.Type] {
            ["model": ModelSpec.self, "loss": LossSpec.self, "optimizer": OptimizerSpec.self, "early_stopping": EarlyStoppingSpec.self,
             "sample_weight": BufferReference.self, "resample": ResampleSpec.self, "source": TrainingSource.self]
        }
        public var dataset: String
        public var validation: String?
        /// Default: `m1`, `m2`, … (the first free).
        public var name: String?
        /// Default: `logistic` for binary data, `softmax` otherwise.
        public var model: ModelSpec?
        /// Default: `{"type": "ce"}`.
        public var loss: LossSpec?
        /// Default: `lbfgs` for linear models, `adam` for `mlp`.
        public var optimizer: OptimizerSpec?
        /// Default: 1/Σsᵢ, the equivalent of scikit-learn's C = 1.
        public var l2: Double?
        /// `mean` (default) or `sum`.
        public var reduction: ReductionName?
        public var seed: UInt64?
        public var earlyStopping: EarlyStoppingSpec?
        /// `standard` (default: 0.5 / argmax), a number, or `best_f1` (tuned on `validation`).
        public var threshold: Threshold?
        public var progressToken: JSONValue?
        /// Whether the model is kept across restarts (default true; nothing is kept by a daemon
        /// started with `--ephemeral`). Not kept, the model lives in memory only and is never
        /// written to the store; its run is still recorded.
        public var keep: Bool?
        /// A float32 buffer, one weight per row of `dataset` (finite, at least 0, not all 0),
        /// multiplied into the class weights as scikit-learn's `sample_weight` is.
        public var sampleWeight: BufferReference?
        /// Since 1.8: over-sampling, under-sampling or SMOTE of the training data (seeded by
        /// `seed`) before training; validation data is never resampled.
        public var resample: ResampleSpec?
        /// Since 1.9: `local` (default) or `spark`: a logistic or softmax model with CE or WCE, fitted
        /// by Spark's MLlib through the daemon's Spark sidecar, then kept and used as a local one.
        public var engine: EngineName?
        /// Since 1.9, spark only: the file Spark reads, with the dataset's columns. Default: the
        /// CSV the dataset was loaded from.
        public var source: TrainingSource?

        public init(dataset: String, validation: String? = nil, name: String? = nil, model: ModelSpec? = nil,
                    loss: LossSpec? = nil, optimizer: OptimizerSpec? = nil, l2: Double? = nil, seed: UInt64? = nil,
                    threshold: Threshold? = nil, progressToken: JSONValue? = nil) {
            self.dataset = dataset
            self.validation = validation
            self.name = name
            self.model = model
            self.loss = loss
            self.optimizer = optimizer
            self.l2 = l2
            self.seed = seed
            self.threshold = threshold
            self.progressToken = progressToken
        }

        enum CodingKeys: String, CodingKey {
            case dataset, validation, name, model, loss, optimizer, l2, reduction, seed, threshold, keep, resample, engine, source
            case earlyStopping = "early_stopping"
            case progressToken = "progress_token"
            case sampleWeight = "sample_weight"
        }
    }

    public struct Result: Codable, Sendable, Equatable {
        public var model: String
        public var run: String
        /// L-BFGS iterations or epochs run.
        public var steps: Int
        /// `converged`, `max_iterations`, `epochs` or `early_stopping`.
        public var stopReason: StopReasonName
        public var seconds: Double
        /// The final objective J on the training data.
        public var objective: Double
        /// The threshold on P(positive) used for the metrics (binary data).
        public var threshold: Double?
        public var metrics: Metrics
        /// Weighted losses shift probabilities; Brier score and log loss before and after prior correction.
        public var calibration: Calibration?
        /// How the validation data was matched to the training data's columns, when it took more than a look.
        public var warnings: [String]?

        public init(model: String, run: String, steps: Int, stopReason: StopReasonName, seconds: Double, objective: Double,
                    threshold: Double?, metrics: Metrics, calibration: Calibration?, warnings: [String]? = nil) {
            self.warnings = warnings
            self.model = model
            self.run = run
            self.steps = steps
            self.stopReason = stopReason
            self.seconds = seconds
            self.objective = objective
            self.threshold = threshold
            self.metrics = metrics
            self.calibration = calibration
        }

        enum CodingKeys: String, CodingKey {
            case model, run, steps, seconds, objective, threshold, metrics, calibration, warnings
            case stopReason = "stop_reason"
        }
    }

    /// The final model's reports on its training data and, when given, its validation data.
    public struct Metrics: Codable, Sendable, Equatable {
        public var train: MetricsReport
        public var validation: MetricsReport?
        public init(train: MetricsReport, validation: MetricsReport?) {
            self.train = train
            self.validation = validation
        }
    }
}

/// Since 1.9: `{"path": "/data/cards.parquet", "format": "parquet"}`, `model/train`'s `source`
/// with `engine: "spark"`: a file Spark reads (on its cluster, the path is the cluster's), holding
/// the dataset's feature columns and its label column under the same names. `format` defaults to
/// the path's extension (`.parquet` or else `csv`); a CSV has a header line and the dataset's
/// delimiter.
public struct TrainingSource: Codable, Sendable, Equatable, KnownFields {
    public static let fieldNames = ["path", "format"]
    public var path: String
    public var format: SourceFormatName?
    public init(path: String, format: SourceFormatName? = nil) {
        self.path = path
        self.format = format
    }
}

/// `{"method": "smote", "ratio": 1, "k": 5}`: `model/train`'s `resample` and a tune candidate's.
/// `ratio` is minority rows over majority rows after resampling (default 1), `k` SMOTE's
/// neighbours (default 5).
public struct ResampleSpec: Codable, Sendable, Equatable, KnownFields {
    public static let fieldNames = ["method", "ratio", "k"]
    public var method: ResampleMethodName
    public var ratio: Double?
    public var k: Int?
    public init(method: ResampleMethodName, ratio: Double? = nil, k: Int? = nil) {
        self.method = method
        self.ratio = ratio
        self.k = k
    }
}
