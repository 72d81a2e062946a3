import RealModule

/// Platt's sigmoid p' = σ(a·f + b) on f = logit(p), fitted as scikit-learn's `_sigmoid_calibration`.
///
/// Targets are Platt's smoothed ones, which scikit-learn still uses (1.9): (N₊ + 1)/(N₊ + 2) for a
/// positive row and 1/(N₋ + 2) for a negative one, so the fit is defined even when one class is
/// absent or the scores separate the classes perfectly. The log loss is convex in (a, b); it is
/// minimised by Newton's method with a backtracking line search (Lin, Lin & Weng 2007), started
/// where scikit-learn starts (a = 0, b = log((N₊ + 1)/(N₋ + 1))).
enum PlattScaling {
    /// logit(P(positive)) from a row's two probabilities, as log p₊ − log p₋ (accurate near 0 and 1),
    /// each clamped to the smallest normal Float so a saturated row stays finite.
    @inline(__always)
    static func logit(positive: Float, negative: Float) -> Double {
        let tiny = Double(Float.leastNormalMagnitude)
        return Double.log(max(Double(positive), tiny)) - Double.log(max(Double(negative), tiny))
    }

    /// (a, b) for scores `f` and truth `isPositive`.
    static func fit(scores f: [Double], isPositive: [Bool]) -> (a: Double, b: Double) {
        let n = f.count
        guard n > 0 else { return (1, 0) }
        let positives = Double(isPositive.lazy.filter { $0 }.count), negatives = Double(n) - positives
        let high = (positives + 1) / (positives + 2), low = 1 / (negatives + 2)
        let targets = isPositive.map { $0 ? high : low }
        var a = 0.0, b = Double.log((positives + 1) / (negatives + 1))
        var current = loss(a: a, b: b, f: f, t: targets)
        for _ in 0..<100 {
            var ga = 0.0, gb = 0.0, haa = 1e-12, hab = 0.0, hbb = 1e-12
            for i in 0..<n {
                let p = sigmoid(a * f[i] + b)
                let d = p - targets[i], w = p * (1 - p)
                ga += d * f[i]
                gb += d
                haa += w * f[i] * f[i]
                hab += w * f[i]
                hbb += w
            }
            if abs(ga) < 1e-10 * Double(n) && abs(gb) < 1e-10 * Double(n) { break }
            let det = haa * hbb - hab * hab
            let da = -(hbb * ga - hab * gb) / det, db = -(haa * gb - hab * ga) / det
            let slope = ga * da + gb * db
            var step = 1.0
            var accepted = false
            while step >= 1e-10 {
                let next = loss(a: a + step * da, b: b + step * db, f: f, t: targets)
                if next <= current + 1e-4 * step * slope {
                    a += step * da
                    b += step * db
                    current = next
                    accepted = true
                    break
                }
                step /= 2
            }
            if !accepted || (abs(step * da) < 1e-12 * (1 + abs(a)) && abs(step * db) < 1e-12 * (1 + abs(b))) { break }
        }
        return (a, b)
    }

    /// Σ cross-entropy of σ(a·f + b) against soft targets t, computed stably from the logit.
    static func loss(a: Double, b: Double, f: [Double], t: [Double]) -> Double {
        var sum = 0.0
        for i in 0..<f.count {
            let z = a * f[i] + b
            // −t·log σ(z) − (1 − t)·log(1 − σ(z)) = log(1 + e^z) − t·z
            sum += softplus(z) - t[i] * z
        }
        return sum
    }

    @inline(__always)
    static func sigmoid(_ z: Double) -> Double {
        z >= 0 ? 1 / (1 + Double.exp(-z)) : Double.exp(z) / (1 + Double.exp(z))
    }

    @inline(__always)
    static func softplus(_ z: Double) -> Double {
        z > 0 ? z + Double.log(onePlus: Double.exp(-z)) : Double.log(onePlus: Double.exp(z))
    }
}
