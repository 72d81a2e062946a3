import RealModule

/// How a tune calibrates the winner's probabilities.
public enum CalibrationMethod: Sendable, Equatable, CaseIterable { case none, prior, platt, isotonic }

/// A fitted calibration map from raw to calibrated class probabilities.
///
/// - `prior`: undoes the shift of the effective class weights (`PriorCorrection`).
/// - `platt`: binary p' = σ(a·logit(p) + b) (`PlattScaling`); K > 2: temperature scaling,
///   p'ₖ ∝ pₖ^(1/T) (`TemperatureScaling`).
/// - `isotonic`: binary only, a non-decreasing piecewise-linear map of P(positive) (`IsotonicFit`).
///
/// Prior, Platt and temperature fold exactly into a model's output layer (`folded(into:)`).
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
    /// Prior: the effective class weights undone (log pₖ − log wₖ, renormalised); empty = none.
    var priorWeights: [Double] = []
    /// Isotonic: fitted points (increasing x), interpolated linearly, clipped at the ends.
    var isotonic = IsotonicFit(x: [], y: [])

    init(method: CalibrationMethod, classCount: Int = 2, positiveClass: Int = 1) {
        self.method = method
        self.classCount = classCount
        self.positiveClass = positiveClass
    }

    /// Fits on probabilities (n × K row-major) with truth. `effectiveWeights` is used by .prior
    /// (nil: no shift is known, the calibrator is the identity).
    /// Throws InvalidArgument(field: .calibration) for isotonic on K > 2, and for effective weights
    /// that are not one finite positive number per class.
    public static func fit(_ method: CalibrationMethod, classIndex: [Int32], probabilities: [Float], classCount k: Int,
                           positiveClass: Int?, effectiveWeights: [Double]?) throws(InvalidArgument) -> Calibrator {
        let n = classIndex.count
        require(k >= 2 && probabilities.count == n * k, "calibrator: \(probabilities.count) probabilities for \(n) rows × \(k) classes")
        let positive = positiveClass ?? 1
        var calibrator = Calibrator(method: method, classCount: k, positiveClass: positive)
        switch method {
        case .none:
            break
        case .prior:
            guard let weights = effectiveWeights else { break }
            if weights.count != k || !weights.allSatisfy({ $0 > 0 && $0.isFinite }) {
                throw InvalidArgument(field: .calibration,
                                      message: "Prior correction needs one finite positive class weight per class (\(k)), got \(weights).")
            }
            calibrator.priorWeights = weights
        case .platt where k == 2:
            let negative = 1 - positive
            let scores = (0..<n).map { PlattScaling.logit(positive: probabilities[2 * $0 + positive], negative: probabilities[2 * $0 + negative]) }
            (calibrator.a, calibrator.b) = PlattScaling.fit(scores: scores, isPositive: classIndex.map { Int($0) == positive })
        case .platt:
            calibrator.temperature = 1 / TemperatureScaling.fit(classIndex: classIndex, probabilities: probabilities, classCount: k)
        case .isotonic:
            if k > 2 {
                throw InvalidArgument(field: .calibration,
                                      message: "Isotonic calibration maps one probability, so it needs binary data; with \(k) classes use platt (temperature scaling) or prior.")
            }
            let scores = (0..<n).map { Double(probabilities[2 * $0 + positive]) }
            calibrator.isotonic = IsotonicFit(scores: scores, isPositive: classIndex.map { Int($0) == positive })
        }
        return calibrator
    }

    public func apply(_ probabilities: [Float], classCount k: Int) -> [Float] {
        require(k == classCount && probabilities.count % k == 0,
                "calibrator: fitted on \(classCount) classes, applied to \(k)")
        switch method {
        case .none:
            return probabilities
        case .prior:
            return priorWeights.isEmpty ? probabilities
                : PriorCorrection.corrected(probabilities: probabilities, classCount: k, classWeights: priorWeights)
        case .platt where k == 2:
            return mapPositive(probabilities) { positive, negative in
                PlattScaling.sigmoid(a * PlattScaling.logit(positive: positive, negative: negative) + b)
            }
        case .platt:
            return TemperatureScaling.apply(beta: 1 / temperature, probabilities: probabilities, classCount: k)
        case .isotonic:
            return mapPositive(probabilities) { positive, _ in isotonic(Double(positive)) }
        }
    }

    /// Binary: each row's P(positive) replaced by `map(p₊, p₋)`, P(negative) by 1 − that.
    private func mapPositive(_ probabilities: [Float], _ map: (Float, Float) -> Double) -> [Float] {
        var out = probabilities
        let negative = 1 - positiveClass
        for row in 0..<(probabilities.count / 2) {
            let p = map(probabilities[2 * row + positiveClass], probabilities[2 * row + negative])
            out[2 * row + positiveClass] = Float(p)
            out[2 * row + negative] = Float(1 - p)
        }
        return out
    }

    /// Binary: the calibrated threshold for a raw one (cal(t)). Multiclass: `raw` unchanged.
    public func calibratedThreshold(_ raw: Double, positiveClass asked: Int) -> Double {
        guard classCount == 2 else { return raw }
        // A threshold on the other class's probability maps through 1 − cal(1 − t).
        if asked != positiveClass { return 1 - calibrated(1 - raw) }
        return calibrated(raw)
    }

    /// cal(p) for P(positiveClass).
    private func calibrated(_ p: Double) -> Double {
        switch method {
        case .none: return p
        case .prior:
            guard !priorWeights.isEmpty else { return p }
            let shift = Double.log(priorWeights[positiveClass] / priorWeights[1 - positiveClass])
            return PlattScaling.sigmoid(Self.logit(p) - shift)
        case .platt: return PlattScaling.sigmoid(a * Self.logit(p) + b)
        case .isotonic: return isotonic(p)
        }
    }

    private static func logit(_ p: Double) -> Double {
        let tiny = Double(Float.leastNormalMagnitude)
        return Double.log(max(p, tiny)) - Double.log(max(1 - p, tiny))
    }

    /// Fitted parameters for reports: platt ["a","b"], temperature ["T"], prior ["shift…"], isotonic ["points": n].
    ///
    /// Prior: binary `shift` = log(w₊/w₋), subtracted from the log-odds; K > 2 `shift_<k>` = log wₖ,
    /// subtracted from each class's log-probability. Empty for none (and prior without weights).
    public var parameters: [String: Double] {
        switch method {
        case .none: return [:]
        case .prior:
            guard !priorWeights.isEmpty else { return [:] }
            if classCount == 2 {
                return ["shift": Double.log(priorWeights[positiveClass] / priorWeights[1 - positiveClass])]
            }
            var result: [String: Double] = [:]
            for (k, w) in priorWeights.enumerated() { result["shift_\(k)"] = Double.log(w) }
            return result
        case .platt:
            return classCount == 2 ? ["a": a, "b": b] : ["T": temperature]
        case .isotonic:
            return ["points": Double(isotonic.x.count)]
        }
    }
}
