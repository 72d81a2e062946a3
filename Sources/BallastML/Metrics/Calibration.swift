public enum PriorCorrection {
    /// Undoes the shift that class weights put into predicted probabilities.
    ///
    /// Weighted cross-entropy with class weights wₖ fits p̃ₖ ∝ wₖ·pₖ, so the correction is
    /// pₖ = (p̃ₖ / wₖ) / Σⱼ (p̃ⱼ / wⱼ): "log pₖ − log wₖ, then renormalise" for any K, which for binary data
    /// is exactly logit(p₁) − log(w₁/w₀) (with logit(p₁) taken as log(p₁/p₀) from the row itself).
    /// Evaluated in Double per row, rounded to Float. Weights (1, …, 1) — or any constant — change
    /// nothing. A row with all probabilities 0 is left as it is.
    ///
    /// - Precondition: `classWeights.count == classCount`, every weight finite and > 0,
    ///   `probabilities.count` a multiple of `classCount` (traps otherwise, also in `-Ounchecked`).
    public static func corrected(probabilities: [Float], classCount: Int, classWeights: [Double]) -> [Float] {
        let k = classCount
        require(k >= 1 && classWeights.count == k, "priorCorrection: \(classWeights.count) weights for \(k) classes")
        require(probabilities.count % k == 0, "priorCorrection: \(probabilities.count) probabilities not a multiple of \(k)")
        require(classWeights.allSatisfy { $0 > 0 && $0.isFinite }, "priorCorrection: weights must be finite and > 0")
        let n = probabilities.count / k
        var out = [Float](repeating: 0, count: probabilities.count)
        let inverse = classWeights.map { 1 / $0 }
        probabilities.withUnsafeBufferPointer { p in
            out.withUnsafeMutableBufferPointer { out in
                inverse.withUnsafeBufferPointer { inverse in
                    for i in 0..<n {
                        correctRow(p.baseAddress! + i * k, into: out.baseAddress! + i * k, classCount: k,
                                   classWeights: classWeights, inverse: inverse)
                    }
                }
            }
        }
        return out
    }

    /// One row of `corrected`: `k` probabilities at `p` into `out` (which may not alias `p`).
    @inline(__always)
    static func correctRow(_ p: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>, classCount k: Int,
                           classWeights: [Double], inverse: UnsafeBufferPointer<Double>) {
        if k == 2 {
            let q0 = Double(p[0]) / classWeights[0], q1 = Double(p[1]) / classWeights[1]
            let total = q0 + q1
            if total > 0 {
                out[0] = Float(q0 / total)
                out[1] = Float(q1 / total)
            } else {
                out[0] = p[0]
                out[1] = p[1]
            }
            return
        }
        var total = 0.0
        for c in 0..<k { total += Double(p[c]) * inverse[c] }
        if total > 0 {
            for c in 0..<k { out[c] = Float(Double(p[c]) * inverse[c] / total) }
        } else {
            for c in 0..<k { out[c] = p[c] }
        }
    }
}

/// Brier score and log loss before and after `PriorCorrection` (same definitions as `MetricReport`).
public struct CalibrationSummary: Sendable, Equatable {
    public var brierBefore: Double
    public var brierAfter: Double
    public var logLossBefore: Double
    public var logLossAfter: Double

    public init(brierBefore: Double, brierAfter: Double, logLossBefore: Double, logLossAfter: Double) {
        self.brierBefore = brierBefore
        self.brierAfter = brierAfter
        self.logLossBefore = logLossBefore
        self.logLossAfter = logLossAfter
    }
}

public enum Calibration {
    /// How much `PriorCorrection` with `classWeights` improves (or worsens) the probabilities on this data.
    /// The corrected probabilities are made one row at a time: nothing a row is allocated.
    public static func summary(classIndex: [Int32], probabilities: [Float], classCount: Int,
                               classWeights: [Double]) -> CalibrationSummary {
        let k = classCount
        require(k >= 1 && classWeights.count == k, "priorCorrection: \(classWeights.count) weights for \(k) classes")
        require(classWeights.allSatisfy { $0 > 0 && $0.isFinite }, "priorCorrection: weights must be finite and > 0")
        let before = losses(classIndex, probabilities, k, correctedBy: nil)
        let corrected = losses(classIndex, probabilities, k, correctedBy: classWeights)
        return CalibrationSummary(brierBefore: before.brier, brierAfter: corrected.brier,
                                  logLossBefore: before.logLoss, logLossAfter: corrected.logLoss)
    }

    /// Log loss and Brier score with `MetricReport`'s definitions, without the rest of the report;
    /// with `classWeights`, of each row as `PriorCorrection.corrected` gives it (same arithmetic).
    static func losses(_ classIndex: [Int32], _ probabilities: [Float], _ k: Int,
                       correctedBy classWeights: [Double]? = nil) -> (logLoss: Double, brier: Double) {
        let n = classIndex.count
        require(k >= 2 && probabilities.count == n * k,
                "calibration: \(probabilities.count) probabilities for \(n) rows × \(k) classes")
        guard n > 0 else { return (0, 0) }
        let low = Metrics.logLossEpsilon, high = 1 - Metrics.logLossEpsilon
        var logLoss = 0.0, brier = 0.0
        let inverse = (classWeights ?? []).map { 1 / $0 }
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: k)
        defer { scratch.deallocate() }
        probabilities.withUnsafeBufferPointer { p in
            classIndex.withUnsafeBufferPointer { y in
                inverse.withUnsafeBufferPointer { inverse in
                    for i in 0..<n {
                        let truth = Int(y[i])
                        require(truth >= 0 && truth < k, "calibration: class index \(truth) out of range 0..<\(k)")
                        var row = p.baseAddress! + i * k
                        if let classWeights {
                            PriorCorrection.correctRow(row, into: scratch, classCount: k, classWeights: classWeights, inverse: inverse)
                            row = UnsafePointer(scratch)
                        }
                        var squares = 0.0
                        for c in 0..<k {
                            let d = Double(row[c]) - (c == truth ? 1 : 0)
                            squares += d * d
                        }
                        brier += squares
                        logLoss -= Double.log(min(max(Double(row[truth]), low), high))
                    }
                }
            }
        }
        if k == 2 { brier *= 0.5 }
        return (logLoss / Double(n), brier / Double(n))
    }
}
