/// Precision, recall and F1 of one class, scikit-learn's `precision_recall_fscore_support`
/// with `zero_division=0`: a class never predicted has precision 0, a class absent from the truth
/// has recall 0, and F1 = 2·TP / (2·TP + FP + FN) is 0 when that denominator is 0.
public struct ClassMetrics: Sendable, Equatable {
    public var label: String
    public var precision: Double
    public var recall: Double
    public var f1: Double
    /// Rows of this class in the truth.
    public var support: Int

    public init(label: String, precision: Double, recall: Double, f1: Double, support: Int) {
        self.label = label
        self.precision = precision
        self.recall = recall
        self.f1 = f1
        self.support = support
    }
}

/// Everything Ballast reports about one set of predictions. No field is ever NaN: undefined
/// quantities follow the conventions written on each field. Built by `Metrics.report`.
///
/// The server translates it into the protocol's `MetricsReport`.
public struct MetricReport: Sendable, Equatable {
    /// Binary: the threshold used on P(positive) (positive iff p ≥ threshold). Multiclass: nil (argmax).
    public var threshold: Double?
    /// Mean −log p_y with p_y clipped to [ε, 1 − ε], ε = `Float.ulpOfOne` ≈ 1.19e-7: what scikit-learn
    /// 1.9's `log_loss` does for float32 probabilities (it clips at `np.finfo(dtype).eps`), but
    /// evaluated in Double. n = 0: 0.
    public var logLoss: Double
    /// Fraction of rows predicted correctly. n = 0: 0.
    public var accuracy: Double
    /// Mean recall over the classes present in the truth (`balanced_accuracy_score`). n = 0: 0.
    public var balancedAccuracy: Double
    /// One row per class, in class-index order (including classes absent from truth and predictions).
    public var perClass: [ClassMetrics]
    /// Binary: the positive class's row of `perClass`. Multiclass: nil.
    public var positive: ClassMetrics?
    /// Mean F1 over the classes that occur in the truth or the predictions — `f1_score(average="macro")`
    /// with its default labels. 0 if none.
    public var macroF1: Double
    /// Average precision, scikit-learn's non-interpolated `average_precision_score`. Multiclass: macro
    /// mean of one-vs-rest AP over the classes present in the truth. A class with no positive row has
    /// undefined AP; binary reports then give 0 (the positive rate — sklearn also returns 0).
    public var prAUC: Double
    /// Binary `roc_auc_score`; multiclass: one-vs-rest macro (`multi_class="ovr"`) over the classes whose
    /// one-vs-rest split has both sides. Undefined (only one class in the truth): 0.5, chance level.
    public var rocAUC: Double
    /// `matthews_corrcoef`, multiclass generalisation (Gorodkin's R_K); 0 when undefined (a constant
    /// prediction or a single true class), as scikit-learn does.
    public var mcc: Double
    /// Geometric mean of per-class recalls over the classes in the truth or the predictions
    /// (imbalanced-learn's `geometric_mean_score`, average="multiclass"): 0 as soon as one of those
    /// classes has recall 0, including a predicted class absent from the truth. n = 0: 0.
    public var gMean: Double
    /// Counts, `confusion[truth][prediction]`, K × K in class-index order.
    public var confusion: [[Int]]
    /// Brier score exactly as scikit-learn 1.9's `brier_score_loss` (scale_by_half="auto"):
    /// K = 2: mean (p₁ − y₁)² (= half of the summed form; the same for either class as positive);
    /// K ≥ 3: mean Σₖ (pₖ − yₖ)², range [0, 2]. n = 0: 0.
    public var brier: Double

    public init(threshold: Double?, logLoss: Double, accuracy: Double, balancedAccuracy: Double,
                perClass: [ClassMetrics], positive: ClassMetrics?, macroF1: Double, prAUC: Double,
                rocAUC: Double, mcc: Double, gMean: Double, confusion: [[Int]], brier: Double) {
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
    }
}
