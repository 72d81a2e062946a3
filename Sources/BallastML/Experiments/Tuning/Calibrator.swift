/// How a tune calibrates the winner's probabilities.
public enum CalibrationMethod: Sendable, Equatable, CaseIterable { case none, prior, platt, isotonic }

/// A fitted calibration map from raw to calibrated class probabilities.
public struct Calibrator: Sendable, Equatable {
    public var method: CalibrationMethod
    /// Classes of the probabilities it maps.
    var classCount: Int = 2
    /// Binary: the class whose probability is calibrated.
    var positiveClass: Int = 1
    /// Platt: p' = σ(a·logit(p) + b).
    var a: Double = 1
    var b: Double = 0
    /// Multiclass Platt (temperature scaling): p'ₖ ∝ pₖ^(1/T).
    var temperature: Double = 1
    /// Prior: the effective class weights undone (log pₖ − log wₖ, renormalised).
    var priorWeights: [Double] = []
    /// Isotonic: fitted points (increasing x), interpolated linearly, clipped at the ends.
    var isotonicX: [Double] = []
    var isotonicY: [Double] = []

    init(method: CalibrationMethod) {
        self.method = method
    }

    /// Fits on probabilities (n × K row-major) with truth. `effectiveWeights` is used by .prior.
    /// Throws InvalidArgument(field: .calibration) for isotonic on K > 2.
    public static func fit(_ method: CalibrationMethod, classIndex: [Int32], probabilities: [Float], classCount: Int,
                           positiveClass: Int?, effectiveWeights: [Double]?) throws(InvalidArgument) -> Calibrator {
        Calibrator(method: .none)
    }

    public func apply(_ probabilities: [Float], classCount: Int) -> [Float] {
        probabilities
    }

    /// The same model with this calibration folded into its output layer; nil for isotonic.
    public func folded(into model: TrainedModel) -> TrainedModel? {
        nil
    }

    /// Binary: the calibrated threshold for a raw one (cal(t)).
    public func calibratedThreshold(_ raw: Double, positiveClass: Int) -> Double {
        raw
    }

    /// Fitted parameters for reports: platt ["a","b"], temperature ["T"], prior ["shift…"], isotonic ["points": n].
    public var parameters: [String: Double] { [:] }
}
