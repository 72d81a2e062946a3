/// One point of a ROC or precision–recall curve. `threshold` is the P(positive) at which the point is
/// reached (positive iff p ≥ threshold).
///
/// The curves' extra end point (recall 0 / precision 1 on PR, (0, 0) on ROC) is reached by no
/// probability: its threshold is `+∞`, as in scikit-learn.
public struct CurvePoint: Sendable, Equatable {
    public var x: Double
    public var y: Double
    public var threshold: Double

    public init(x: Double, y: Double, threshold: Double) {
        self.x = x
        self.y = y
        self.threshold = threshold
    }
}

public enum Curves {
    /// scikit-learn's `precision_recall_curve` (drop_intermediate=False): x = recall, y = precision, one
    /// point per distinct probability from the lowest threshold up, then the end point (recall 0,
    /// precision 1, threshold +∞). Ties enter together. Precision with no predicted positive is 0.
    ///
    /// No positive row: recall is 1 at every threshold (sklearn's convention, no NaN). n = 0: just the end
    /// point. O(n) ranking + O(distinct values); thin it with `downsample` before sending it anywhere.
    public static func precisionRecall(classIndex: [Int32], positiveProbability: [Float],
                                       positiveClass: Int) -> [CurvePoint] {
        let ranked = rank(classIndex, positiveProbability, positiveClass)
        let m = ranked.count, positives = ranked.positives
        var points: [CurvePoint] = []
        points.reserveCapacity(m + 1)
        for i in stride(from: m - 1, through: 0, by: -1) {
            let tp = ranked.truePositives[i], predicted = tp + ranked.falsePositives[i]
            let precision = predicted > 0 ? Double(tp) / Double(predicted) : 0
            let recall = positives > 0 ? Double(tp) / Double(positives) : 1
            points.append(CurvePoint(x: recall, y: precision, threshold: Double(ranked.thresholds[i])))
        }
        points.append(CurvePoint(x: 0, y: 1, threshold: .infinity))
        return points
    }

    /// scikit-learn's `roc_curve` with drop_intermediate=False: x = false-positive rate, y = true-positive
    /// rate, from (0, 0) at threshold +∞ through one point per distinct probability, highest first, to (1, 1).
    ///
    /// If the truth has one class only, the undefined rate is set equal to the defined one, giving the
    /// diagonal (AUC 0.5, the convention of `MetricReport.rocAUC`) where sklearn would give NaN.
    public static func roc(classIndex: [Int32], positiveProbability: [Float], positiveClass: Int) -> [CurvePoint] {
        let ranked = rank(classIndex, positiveProbability, positiveClass)
        let m = ranked.count
        let positives = Double(ranked.positives), negatives = Double(ranked.negatives)
        var points: [CurvePoint] = []
        points.reserveCapacity(m + 1)
        points.append(CurvePoint(x: 0, y: 0, threshold: .infinity))
        for i in 0..<m {
            let tp = Double(ranked.truePositives[i]), fp = Double(ranked.falsePositives[i])
            // With one class only, tp + fp is the count of whichever class is there.
            let tpr = positives > 0 ? tp / positives : (tp + fp) / negatives
            let fpr = negatives > 0 ? fp / negatives : (tp + fp) / positives
            points.append(CurvePoint(x: fpr, y: tpr, threshold: Double(ranked.thresholds[i])))
        }
        return points
    }

    /// At most `maxPoints` points of `points`, spread along the curve's arc length (in the x–y plane as
    /// given), always keeping the first and last point, in order. Points are picked, never interpolated,
    /// so every kept point is a real (threshold, x, y).
    ///
    /// A point is kept when it lies at least `spacing` further along the curve than the previously kept
    /// one; `spacing` is the smallest (found by bisection) that stays within the budget, so long jumps
    /// (a PR curve's zig-zags at low recall) do not waste it. O(count · 40), no allocation per point.
    ///
    /// `points.count ≤ maxPoints`: returned unchanged. `maxPoints ≤ 0`: empty; `1`: the first point.
    public static func downsample(_ points: [CurvePoint], maxPoints: Int) -> [CurvePoint] {
        let count = points.count
        if count <= maxPoints { return points }
        if maxPoints <= 0 { return [] }
        if maxPoints == 1 { return [points[0]] }
        var cumulative = [Double](repeating: 0, count: count)
        var length = 0.0
        for i in 1..<count {
            let dx = points[i].x - points[i - 1].x, dy = points[i].y - points[i - 1].y
            let step = (dx * dx + dy * dy).squareRoot()
            if step.isFinite { length += step }
            cumulative[i] = length
        }
        guard length > 0 else { return [points[0], points[count - 1]] }
        let interiorBudget = maxPoints - 2
        return cumulative.withUnsafeBufferPointer { cumulative in
            /// Interior points kept with this spacing (stops counting past the budget).
            func kept(_ spacing: Double) -> Int {
                var last = 0.0, n = 0
                for i in 1..<(count - 1) where cumulative[i] - last >= spacing {
                    last = cumulative[i]
                    n += 1
                    if n > interiorBudget { break }
                }
                return n
            }
            var low = 0.0, high = length  // kept(high) ≤ budget unless interior points sit on the end
            if kept(high) > interiorBudget { high = .greatestFiniteMagnitude }
            for _ in 0..<40 {
                let middle = (low + high) / 2
                if kept(middle) > interiorBudget { low = middle } else { high = middle }
            }
            var result = [points[0]]
            result.reserveCapacity(maxPoints)
            var last = 0.0
            for i in 1..<(count - 1) where cumulative[i] - last >= high && result.count <= interiorBudget {
                last = cumulative[i]
                result.append(points[i])
            }
            result.append(points[count - 1])
            return result
        }
    }

    static func rank(_ classIndex: [Int32], _ scores: [Float], _ positiveClass: Int) -> RankedScores {
        require(classIndex.count == scores.count,
                "curve: \(classIndex.count) classes for \(scores.count) probabilities")
        return scores.withUnsafeBufferPointer { scores in
            classIndex.withUnsafeBufferPointer { classes in
                RankedScores(scores: scores, stride: 1, offset: 0, count: classes.count,
                             classIndex: classes, positiveClass: Int32(truncatingIfNeeded: positiveClass))
            }
        }
    }
}
