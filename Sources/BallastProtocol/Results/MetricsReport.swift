/// Everything reported about one set of predictions: in `model/train`'s `metrics`, as the result
/// of `model/evaluate`, and in the rows of the experiments. No field is ever NaN: division by zero
/// gives 0 (scikit-learn's `zero_division=0`) and a ROC-AUC without both classes is 0.5.
public struct MetricsReport: Codable, Sendable, Equatable {
    /// Binary data: the threshold on P(positive); a row is positive when P(positive) ≥ threshold.
    public var threshold: Double?
    public var logLoss: Double
    public var accuracy: Double
    public var balancedAccuracy: Double
    /// One row per class, in the dataset's class order.
    public var perClass: [ClassMetrics]
    /// Binary data: the rare (positive) class's row.
    public var positive: ClassMetrics?
    public var macroF1: Double
    /// Average precision, scikit-learn's non-interpolated definition.
    public var prAUC: Double
    /// Multiclass: one-vs-rest macro.
    public var rocAUC: Double
    public var mcc: Double
    /// Geometric mean of the per-class recalls.
    public var gMean: Double
    /// Counts, `confusion[truth][prediction]`.
    public var confusion: [[Int]]
    public var brier: Double
    /// `model/evaluate` only, when asked: the PR and ROC curves.
    public var curves: Curves?
    /// `model/evaluate` only: how the data was matched to the model's columns, when it took more than a look.
    public var warnings: [String]?

    public init(threshold: Double?, logLoss: Double, accuracy: Double, balancedAccuracy: Double,
                perClass: [ClassMetrics], positive: ClassMetrics?, macroF1: Double, prAUC: Double,
                rocAUC: Double, mcc: Double, gMean: Double, confusion: [[Int]], brier: Double, curves: Curves? = nil) {
        self.threshold = threshold
        self.logLoss = logLoss
        self.accuracy = accuracy
        self.balancedAccuracy = balancedAccuracy
        self.perClass = perClass
        self.positive = positive
        self.macroF1 = macroF1
        self.prAUC = prAUC
        self.rocAUC = rocAUC
        self.mcc = mcc
        self.gMean = gMean
        self.confusion = confusion
        self.brier = brier
        self.curves = curves
    }

    enum CodingKeys: String, CodingKey {
        case threshold, accuracy, positive, mcc, confusion, brier, curves, warnings
        case logLoss = "log_loss"
        case balancedAccuracy = "balanced_accuracy"
        case perClass = "per_class"
        case macroF1 = "macro_f1"
        case prAUC = "pr_auc"
        case rocAUC = "roc_auc"
        case gMean = "g_mean"
    }
}

/// Precision, recall and F1 of one class, and its rows in the truth.
public struct ClassMetrics: Codable, Sendable, Equatable {
    public var label: String
    public var precision: Double
    public var recall: Double
    public var f1: Double
    public var support: Int

    public init(label: String, precision: Double, recall: Double, f1: Double, support: Int) {
        self.label = label
        self.precision = precision
        self.recall = recall
        self.f1 = f1
        self.support = support
    }
}

/// What a person watching a training wants at each step: the rare class's figures on the
/// validation data at threshold 0.5.
public struct ProgressMetrics: Codable, Sendable, Equatable {
    public var loss: Double
    public var f1: Double
    public var recall: Double
    public var precision: Double
    public var prAUC: Double

    public init(loss: Double, f1: Double, recall: Double, precision: Double, prAUC: Double) {
        self.loss = loss
        self.f1 = f1
        self.recall = recall
        self.precision = precision
        self.prAUC = prAUC
    }

    enum CodingKeys: String, CodingKey {
        case loss, f1, recall, precision
        case prAUC = "pr_auc"
    }
}
