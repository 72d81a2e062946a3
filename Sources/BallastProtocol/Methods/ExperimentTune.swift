/// `experiment/tune`: chooses a loss, class weights or resampling, a threshold and a calibration
/// for the user by cross-validation, estimates how well the choice does on rows it never saw, and
/// stores the winner as a model (protocol/README.md, "experiment/tune").
public enum ExperimentTune: RequestMethod {
    public static let method = "experiment/tune"

    public struct Params: Codable, Sendable, Equatable, KnownFields {
        public static let fieldNames = ["dataset", "name", "candidates", "grid", "include_mlp", "objective", "calibrate", "folds",
                                        "repeats", "estimate", "holdout", "outer_folds", "model", "optimizer", "l2", "seed", "keep",
                                        "progress_token"]
        /// `candidates` is an array: the daemon checks the fields of its objects itself.
        public static var nestedFields: [String: any KnownFields.Type] {
            ["model": ModelSpec.self, "optimizer": OptimizerSpec.self, "grid": Grid.self, "objective": Objective.self]
        }
        public var dataset: String
        /// The stored model's name; default `m1`, `m2`, … (the first free).
        public var name: String?
        /// Default: the default candidates for the data (binary or multiclass).
        public var candidates: [Candidate]?
        public var grid: Grid?
        /// Adds the `mlp` candidate to the defaults (default false).
        public var includeMLP: Bool?
        /// Default `f1`.
        public var objective: Objective?
        /// Default `none`.
        public var calibrate: CalibrationName?
        /// 2…100, default 5 (fewer when a class has fewer rows).
        public var folds: Int?
        /// 1…20, default: 1, 3 or 5 by the smallest class's rows.
        public var repeats: Int?
        /// Default `nested` (or `holdout` when only `holdout` is given).
        public var estimate: EstimateName?
        /// The holdout's fraction of rows, 0 < f ≤ 0.5, default 0.2.
        public var holdout: Double?
        /// Nested cross-validation's outer folds, 2…10, default 3.
        public var outerFolds: Int?
        public var model: ModelSpec?
        public var optimizer: OptimizerSpec?
        public var l2: Double?
        public var seed: UInt64?
        /// Whether the stored model is kept across restarts (default true), as in `model/train`.
        public var keep: Bool?
        public var progressToken: JSONValue?

        public init(dataset: String, name: String? = nil, candidates: [Candidate]? = nil, grid: Grid? = nil,
                    includeMLP: Bool? = nil, objective: Objective? = nil, calibrate: CalibrationName? = nil, folds: Int? = nil,
                    repeats: Int? = nil, estimate: EstimateName? = nil, holdout: Double? = nil, outerFolds: Int? = nil,
                    model: ModelSpec? = nil, optimizer: OptimizerSpec? = nil, l2: Double? = nil, seed: UInt64? = nil,
                    keep: Bool? = nil, progressToken: JSONValue? = nil) {
            self.dataset = dataset
            self.name = name
            self.candidates = candidates
            self.grid = grid
            self.includeMLP = includeMLP
            self.objective = objective
            self.calibrate = calibrate
            self.folds = folds
            self.repeats = repeats
            self.estimate = estimate
            self.holdout = holdout
            self.outerFolds = outerFolds
            self.model = model
            self.optimizer = optimizer
            self.l2 = l2
            self.seed = seed
            self.keep = keep
            self.progressToken = progressToken
        }

        enum CodingKeys: String, CodingKey {
            case dataset, name, candidates, grid, objective, calibrate, folds, repeats, estimate, holdout, model, optimizer, l2, seed, keep
            case includeMLP = "include_mlp"
            case outerFolds = "outer_folds"
            case progressToken = "progress_token"
        }
    }

    /// A candidate: a default one by name (`"wce_w0.9"`, `"smote"`, `"mlp"`), or one of the
    /// user's own.
    public enum Candidate: Codable, Sendable, Equatable {
        case named(String)
        case custom(CustomCandidate)

        public init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let name = try? container.decode(String.self) {
                self = .named(name)
            } else {
                self = .custom(try container.decode(CustomCandidate.self))
            }
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .named(let name): try container.encode(name)
            case .custom(let candidate): try container.encode(candidate)
            }
        }
    }

    /// `{"name": "wce9", "loss": {"type": "wce", "weights": {"scheme": "binary", "w": 0.9}}}`:
    /// a loss (default CE), optionally resampling and a model of its own.
    public struct CustomCandidate: Codable, Sendable, Equatable, KnownFields {
        public static let fieldNames = ["name", "loss", "resample", "model"]
        public static var nestedFields: [String: any KnownFields.Type] {
            ["loss": LossSpec.self, "resample": ResampleSpec.self, "model": ModelSpec.self]
        }
        /// Default `c1`, `c2`, … by its place in `candidates`.
        public var name: String?
        public var loss: LossSpec?
        public var resample: ResampleSpec?
        /// Default: the request's `model`.
        public var model: ModelSpec?
        public init(name: String? = nil, loss: LossSpec? = nil, resample: ResampleSpec? = nil, model: ModelSpec? = nil) {
            self.name = name
            self.loss = loss
            self.resample = resample
            self.model = model
        }
    }

    /// Replaces the default grids: the rare class's weights w of the `wce_w…` candidates and the
    /// γ of the `focal_g…` ones.
    public struct Grid: Codable, Sendable, Equatable, KnownFields {
        public static let fieldNames = ["w", "gamma"]
        public var w: [Double]?
        public var gamma: [Double]?
        public init(w: [Double]? = nil, gamma: [Double]? = nil) {
            self.w = w
            self.gamma = gamma
        }
    }

    /// `"f1"`, or `{"type": "recall_at_precision", "precision": 0.9}`, `{"type": "fbeta", "beta": 2}`,
    /// `{"type": "cost", "fp": 1, "fn": 20}`, `{"type": "cost", "matrix": [[0, 1], [20, 0]]}`.
    /// A string is the type alone; an objective without parameters is encoded as one.
    public struct Objective: Codable, Sendable, Equatable, KnownFields {
        public static let fieldNames = ["type", "beta", "precision", "recall", "fp", "fn", "matrix"]
        public var type: ObjectiveName
        public var beta: Double?
        public var precision: Double?
        public var recall: Double?
        public var fp: Double?
        public var fn: Double?
        /// C[truth][predicted], K × K.
        public var matrix: [[Double]]?

        public init(type: ObjectiveName, beta: Double? = nil, precision: Double? = nil, recall: Double? = nil, fp: Double? = nil,
                    fn: Double? = nil, matrix: [[Double]]? = nil) {
            self.type = type
            self.beta = beta
            self.precision = precision
            self.recall = recall
            self.fp = fp
            self.fn = fn
            self.matrix = matrix
        }

        enum CodingKeys: String, CodingKey { case type, beta, precision, recall, fp, fn, matrix }

        public init(from decoder: any Decoder) throws {
            if let single = try? decoder.singleValueContainer(), let name = try? single.decode(String.self) {
                self.init(type: try ObjectiveName.parse(name, field: CodingPath.dotted(decoder.codingPath)))
                return
            }
            let c = try decoder.container(keyedBy: CodingKeys.self)
            self.init(type: try c.decode(ObjectiveName.self, forKey: .type), beta: try c.decodeIfPresent(Double.self, forKey: .beta),
                      precision: try c.decodeIfPresent(Double.self, forKey: .precision),
                      recall: try c.decodeIfPresent(Double.self, forKey: .recall), fp: try c.decodeIfPresent(Double.self, forKey: .fp),
                      fn: try c.decodeIfPresent(Double.self, forKey: .fn), matrix: try c.decodeIfPresent([[Double]].self, forKey: .matrix))
        }

        public func encode(to encoder: any Encoder) throws {
            if beta == nil, precision == nil, recall == nil, fp == nil, fn == nil, matrix == nil {
                var single = encoder.singleValueContainer()
                try single.encode(type)
                return
            }
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(type, forKey: .type)
            try c.encodeIfPresent(beta, forKey: .beta)
            try c.encodeIfPresent(precision, forKey: .precision)
            try c.encodeIfPresent(recall, forKey: .recall)
            try c.encodeIfPresent(fp, forKey: .fp)
            try c.encodeIfPresent(fn, forKey: .fn)
            try c.encodeIfPresent(matrix, forKey: .matrix)
        }
    }

    public struct Result: Codable, Sendable, Equatable {
        public var run: String
        /// The stored model's name.
        public var model: String
        public var objective: ObjectiveReport
        /// Best first; the winner is the first row.
        public var leaderboard: [LeaderboardRow]
        public var winner: Winner
        public var folds: FoldPlanReport
        public var estimate: EstimateReport
        /// Absent when `calibrate` was `none`.
        public var calibration: CalibrationReport?
        /// Candidates that could not run (e.g. SMOTE on a fold with one rare row), with the reason.
        public var skipped: [String: String]
        /// What was adapted (folds, estimate method) and caveats, one sentence each.
        public var notes: [String]
        public var warnings: [String]?
        public var seconds: Double

        public init(run: String, model: String, objective: ObjectiveReport, leaderboard: [LeaderboardRow], winner: Winner,
                    folds: FoldPlanReport, estimate: EstimateReport, calibration: CalibrationReport?, skipped: [String: String],
                    notes: [String], warnings: [String]? = nil, seconds: Double) {
            self.run = run
            self.model = model
            self.objective = objective
            self.leaderboard = leaderboard
            self.winner = winner
            self.folds = folds
            self.estimate = estimate
            self.calibration = calibration
            self.skipped = skipped
            self.notes = notes
            self.warnings = warnings
            self.seconds = seconds
        }
    }

    /// The objective tuned for, with a person's name for it and its parameters echoed.
    public struct ObjectiveReport: Codable, Sendable, Equatable {
        public var type: ObjectiveName
        /// "F1", "F2", "recall at precision ≥ 0.9", "expected cost", …
        public var name: String
        public var higherIsBetter: Bool
        public var beta: Double?
        public var precision: Double?
        public var recall: Double?
        public var fp: Double?
        public var fn: Double?
        public var matrix: [[Double]]?

        public init(type: ObjectiveName, name: String, higherIsBetter: Bool, beta: Double? = nil, precision: Double? = nil,
                    recall: Double? = nil, fp: Double? = nil, fn: Double? = nil, matrix: [[Double]]? = nil) {
            self.type = type
            self.name = name
            self.higherIsBetter = higherIsBetter
            self.beta = beta
            self.precision = precision
            self.recall = recall
            self.fp = fp
            self.fn = fn
            self.matrix = matrix
        }

        enum CodingKeys: String, CodingKey {
            case type, name, beta, precision, recall, fp, fn, matrix
            case higherIsBetter = "higher_is_better"
        }
    }

    /// One candidate's cross-validated objective.
    public struct LeaderboardRow: Codable, Sendable, Equatable {
        /// 1 for the winner.
        public var rank: Int
        public var candidate: String
        /// One line for a table ("weighted CE, w = 0.9 for the rare class").
        public var description: String
        /// Mean and sample standard deviation over repeats × folds, each fold scored at the
        /// threshold tuned on the other folds.
        public var mean: Double
        public var sd: Double
        /// repeats × folds, repeat-major.
        public var scores: [Double]
        /// Binary data: the threshold tuned on all its out-of-fold predictions (uncalibrated scale).
        public var threshold: Double?
        /// Its cross-validation fits' time, summed.
        public var seconds: Double

        public init(rank: Int, candidate: String, description: String, mean: Double, sd: Double, scores: [Double],
                    threshold: Double?, seconds: Double) {
            self.rank = rank
            self.candidate = candidate
            self.description = description
            self.mean = mean
            self.sd = sd
            self.scores = scores
            self.threshold = threshold
            self.seconds = seconds
        }
    }

    public struct Winner: Codable, Sendable, Equatable {
        public var candidate: String
        public var description: String
        /// Binary data: the stored model's threshold (on its probability scale).
        public var threshold: Double?
        /// One sentence: why this candidate won, by how much, and how its threshold was tuned.
        public var why: String
        /// `model/train` params without `dataset` and `name`: send them back with those to train
        /// the same model.
        public var config: WinnerConfig

        public init(candidate: String, description: String, threshold: Double?, why: String, config: WinnerConfig) {
            self.candidate = candidate
            self.description = description
            self.threshold = threshold
            self.why = why
            self.config = config
        }
    }

    /// The winner's training in `model/train`'s shapes.
    public struct WinnerConfig: Codable, Sendable, Equatable {
        public var model: ModelSpec
        public var loss: LossSpec
        public var optimizer: OptimizerSpec
        public var l2: Double
        public var seed: UInt64
        public var resample: ResampleSpec?
        /// Binary data: the tuned threshold (uncalibrated when the calibration could not be folded
        /// into the model).
        public var threshold: Double?

        public init(model: ModelSpec, loss: LossSpec, optimizer: OptimizerSpec, l2: Double, seed: UInt64,
                    resample: ResampleSpec? = nil, threshold: Double? = nil) {
            self.model = model
            self.loss = loss
            self.optimizer = optimizer
            self.l2 = l2
            self.seed = seed
            self.resample = resample
            self.threshold = threshold
        }
    }

    /// How well the choice does on rows the choosing never saw.
    public struct EstimateReport: Codable, Sendable, Equatable {
        /// What ran: `holdout` may have fallen back to `nested` (then `notes` says why).
        public var method: EstimateName
        /// The holdout's value, or the mean over outer folds.
        public var objective: Double?
        /// Nested: the sample standard deviation over outer folds.
        public var sd: Double?
        /// Nested: each outer fold's value; holdout: the one value.
        public var scores: [Double]?
        /// Nested: each outer fold's winner; holdout: the winner.
        public var winners: [String]?
        /// Rows scored.
        public var rows: Int?
        /// Holdout: the full report at the tuned threshold; nested: on the pooled outer-test predictions.
        public var metrics: MetricsReport?

        public init(method: EstimateName, objective: Double? = nil, sd: Double? = nil, scores: [Double]? = nil,
                    winners: [String]? = nil, rows: Int? = nil, metrics: MetricsReport? = nil) {
            self.method = method
            self.objective = objective
            self.sd = sd
            self.scores = scores
            self.winners = winners
            self.rows = rows
            self.metrics = metrics
        }
    }

    /// Where a calibration was measured: holdout rows, outer test folds, or (without an estimate)
    /// the out-of-fold predictions it was fitted on.
    public enum CalibrationRows: String, Codable, Sendable, Equatable, CaseIterable {
        case holdout
        case outerFolds = "outer_folds"
        case oof
    }

    public struct CalibrationReport: Codable, Sendable, Equatable {
        public var method: CalibrationName
        /// Platt `a`, `b`; temperature `T`; prior shifts; isotonic `points`.
        public var parameters: [String: Double]
        /// False for isotonic: the stored model stays uncalibrated (its threshold is the raw one).
        public var appliedToModel: Bool
        public var on: CalibrationRows
        /// Binary: the tuned threshold on the calibrated scale.
        public var thresholdCalibrated: Double?
        public var before: CalibrationMeasures
        public var after: CalibrationMeasures

        public init(method: CalibrationName, parameters: [String: Double], appliedToModel: Bool, on: CalibrationRows,
                    thresholdCalibrated: Double?, before: CalibrationMeasures, after: CalibrationMeasures) {
            self.method = method
            self.parameters = parameters
            self.appliedToModel = appliedToModel
            self.on = on
            self.thresholdCalibrated = thresholdCalibrated
            self.before = before
            self.after = after
        }

        enum CodingKeys: String, CodingKey {
            case method, parameters, on, before, after
            case appliedToModel = "applied_to_model"
            case thresholdCalibrated = "threshold_calibrated"
        }
    }

    public struct CalibrationMeasures: Codable, Sendable, Equatable {
        public var brier: Double
        public var logLoss: Double
        /// 10 uniform bins on P(positive) (multiclass: on the top class's probability), empty ones left out.
        public var reliability: [ReliabilityPoint]

        public init(brier: Double, logLoss: Double, reliability: [ReliabilityPoint]) {
            self.brier = brier
            self.logLoss = logLoss
            self.reliability = reliability
        }

        enum CodingKeys: String, CodingKey {
            case brier, reliability
            case logLoss = "log_loss"
        }
    }

    public struct ReliabilityPoint: Codable, Sendable, Equatable {
        public var meanPredicted: Double
        /// Binary: the fraction of positive rows; multiclass: the accuracy of the top class.
        public var fractionPositive: Double
        public var count: Int

        public init(meanPredicted: Double, fractionPositive: Double, count: Int) {
            self.meanPredicted = meanPredicted
            self.fractionPositive = fractionPositive
            self.count = count
        }

        enum CodingKeys: String, CodingKey {
            case count
            case meanPredicted = "mean_predicted"
            case fractionPositive = "fraction_positive"
        }
    }
}
