/// Isotonic calibration as scikit-learn's `IsotonicRegression(out_of_bounds="clip", y_min=0, y_max=1)`.
///
/// Fit: sort by score, merge equal scores into one point (mean target, summed weight), pool
/// adjacent violators, clip to [0, 1], and keep only the points where the fitted value changes
/// (plus both ends). Predict: clip the score to the fitted range, interpolate linearly.
struct IsotonicFit: Sendable, Equatable {
    var x: [Double] = []
    var y: [Double] = []

    init(x: [Double], y: [Double]) {
        self.x = x
        self.y = y
    }

    init(scores: [Double], isPositive: [Bool]) {
        let order = scores.indices.sorted { scores[$0] < scores[$1] || (scores[$0] == scores[$1] && !isPositive[$0] && isPositive[$1]) }
        // Equal scores → one point; each point is a block for pooling.
        var values: [Double] = [], weights: [Double] = [], xs: [Double] = []
        for i in order {
            let target = isPositive[i] ? 1.0 : 0.0
            if let last = xs.last, last == scores[i] {
                let w = weights[weights.count - 1]
                values[values.count - 1] = (values[values.count - 1] * w + target) / (w + 1)
                weights[weights.count - 1] = w + 1
            } else {
                xs.append(scores[i])
                values.append(target)
                weights.append(1)
            }
        }
        // Pool adjacent violators over blocks (value, weight, length).
        var blockValue: [Double] = [], blockWeight: [Double] = [], blockLength: [Int] = []
        for i in values.indices {
            var value = values[i], weight = weights[i], length = 1
            while let last = blockValue.last, last >= value {
                let w = blockWeight.removeLast()
                value = (last * w + value * weight) / (w + weight)
                weight += w
                length += blockLength.removeLast()
                blockValue.removeLast()
            }
            blockValue.append(value)
            blockWeight.append(weight)
            blockLength.append(length)
        }
        var fitted: [Double] = []
        fitted.reserveCapacity(xs.count)
        for (value, length) in zip(blockValue, blockLength) {
            fitted += repeatElement(min(max(value, 0), 1), count: length)
        }
        // Drop interior points whose value equals both neighbours'.
        var keptX: [Double] = [], keptY: [Double] = []
        for i in fitted.indices {
            if i == 0 || i == fitted.count - 1 || fitted[i] != fitted[i - 1] || fitted[i] != fitted[i + 1] {
                keptX.append(xs[i])
                keptY.append(fitted[i])
            }
        }
        self.init(x: keptX, y: keptY)
    }

    /// The calibrated value of a score (identity when nothing was fitted).
    func callAsFunction(_ score: Double) -> Double {
        guard let first = x.first, let last = x.last else { return score }
        if score <= first { return y[0] }
        if score >= last { return y[y.count - 1] }
        // Largest i with x[i] ≤ score.
        var lo = 0, hi = x.count - 1
        while hi - lo > 1 {
            let mid = (lo + hi) / 2
            if x[mid] <= score { lo = mid } else { hi = mid }
        }
        // scipy's interp1d: slope · (x − x_lo) + y_lo.
        let slope = (y[hi] - y[lo]) / (x[hi] - x[lo])
        return slope * (score - x[lo]) + y[lo]
    }
}
