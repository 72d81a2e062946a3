import RealModule

/// Temperature scaling of K-class probabilities: p'ₖ ∝ exp(β·log pₖ) with one inverse temperature
/// β = 1/T > 0, fitted on log loss as scikit-learn's `_TemperatureScaling` (log-probabilities taken
/// as log(p + 1e-12), β searched within [e⁻¹⁰, e¹⁰]).
///
/// The mean log loss L(β) is convex in β (L″ is a mean of variances), so Newton's method with
/// bisection safeguards finds the minimum; it is the same minimum scikit-learn's bounded scalar
/// search reaches on log β.
enum TemperatureScaling {
    static let epsilon = 1e-12
    static let range = (low: Double.exp(-10), high: Double.exp(10))

    /// log(p + ε) of every entry.
    static func logits(_ probabilities: [Float]) -> [Double] {
        probabilities.map { Double.log(Double($0) + epsilon) }
    }

    /// Mean log loss at β and its first two derivatives in β.
    static func lossAndDerivatives(beta: Double, logits: [Double], classIndex: [Int32], classCount k: Int)
        -> (loss: Double, first: Double, second: Double) {
        let n = classIndex.count
        guard n > 0 else { return (0, 0, 0) }
        var loss = 0.0, first = 0.0, second = 0.0
        logits.withUnsafeBufferPointer { l in
            for row in 0..<n {
                let base = row * k
                var top = -Double.infinity
                for c in 0..<k { top = max(top, beta * l[base + c]) }
                var total = 0.0, mean = 0.0, meanSquare = 0.0
                for c in 0..<k {
                    let e = Double.exp(beta * l[base + c] - top)
                    total += e
                    mean += e * l[base + c]
                    meanSquare += e * l[base + c] * l[base + c]
                }
                mean /= total
                meanSquare /= total
                let truth = l[base + Int(classIndex[row])]
                loss += top + Double.log(total) - beta * truth
                first += mean - truth
                second += max(meanSquare - mean * mean, 0)
            }
        }
        let scale = 1 / Double(n)
        return (loss * scale, first * scale, second * scale)
    }

    /// The fitted β.
    static func fit(classIndex: [Int32], probabilities: [Float], classCount: Int) -> Double {
        guard !classIndex.isEmpty else { return 1 }
        let l = logits(probabilities)
        var low = range.low, high = range.high
        var beta = 1.0
        for _ in 0..<200 {
            let (_, first, second) = lossAndDerivatives(beta: beta, logits: l, classIndex: classIndex, classCount: classCount)
            // L is convex: the sign of L′ says on which side the minimum lies.
            if first > 0 { high = beta } else if first < 0 { low = beta } else { break }
            var next = second > 0 ? beta - first / second : .nan
            if !(next > low && next < high) { next = (low + high) / 2 }
            if abs(next - beta) <= 1e-13 * beta { beta = next; break }
            beta = next
            if high - low <= 1e-13 * high { break }
        }
        return min(max(beta, range.low), range.high)
    }

    /// Rescaled probabilities: softmax(β·log(p + ε)) per row, in Double, rounded to Float.
    static func apply(beta: Double, probabilities: [Float], classCount k: Int) -> [Float] {
        var out = [Float](repeating: 0, count: probabilities.count)
        var scaled = [Double](repeating: 0, count: k)
        for row in 0..<(probabilities.count / k) {
            var top = -Double.infinity
            for c in 0..<k {
                scaled[c] = beta * Double.log(Double(probabilities[row * k + c]) + epsilon)
                top = max(top, scaled[c])
            }
            var total = 0.0
            for c in 0..<k { scaled[c] = Double.exp(scaled[c] - top); total += scaled[c] }
            for c in 0..<k { out[row * k + c] = Float(scaled[c] / total) }
        }
        return out
    }
}
