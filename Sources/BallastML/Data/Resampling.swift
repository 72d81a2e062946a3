/// Rebalancing a training set by adding rare-class rows or dropping majority-class rows.
///
/// - Important: Resample **only the training part, after splitting** (`Splitting.stratifiedSplit`,
///   or inside each cross-validation fold). Resampling before splitting puts copies of — or SMOTE
///   points interpolated from — test rows into training, and the scores measured on the test rows
///   are then too good.
///
/// `ratio` is imbalanced-learn's float `sampling_strategy`: the desired count of a non-majority
/// class divided by the majority class's count after resampling, in `(0, 1]`. For binary data that
/// is minority / majority. For multiclass data every non-majority class is brought to
/// `ratio × majority`: over-sampling (random or SMOTE) raises each class below that target to
/// `⌊ratio × n_majority⌋` and leaves larger classes as they are (it never removes rows);
/// under-sampling cuts the majority class to `⌊n_smallest / ratio⌋` and every other class to
/// `n_smallest`, the size of the smallest class. The majority class is the largest one (the
/// earliest on a tie).
///
/// Output: for over-sampling, all original rows in their order followed by the new rows (class by
/// class); for under-sampling, the kept rows in their original order. Every function is
/// deterministic for a seed (`SeededGenerator`).
public enum Resampling {
    /// Random over-sampling: duplicates rows of each non-majority class, drawn uniformly with
    /// replacement, until it reaches `⌊ratio × n_majority⌋` (imbalanced-learn's `RandomOverSampler`).
    public static func randomOver(_ data: Dataset, ratio: Double, seed: UInt64) throws(InvalidArgument) -> Dataset {
        let plan = try overSamplingPlan(data, ratio: ratio)
        var random = SeededGenerator(seed: seed)
        var picked = Array(0..<data.rowCount)
        for (c, extra) in plan.extra.enumerated() where extra > 0 {
            let rows = plan.rowsByClass[c]
            for _ in 0..<extra { picked.append(rows[random.nextInt(below: rows.count)]) }
        }
        return data.selecting(rows: picked)
    }

    /// Random under-sampling: keeps a uniformly chosen subset (without replacement) of
    /// `⌊n_smallest / ratio⌋` majority rows and `n_smallest` rows of every other class
    /// (imbalanced-learn's `RandomUnderSampler`).
    public static func randomUnder(_ data: Dataset, ratio: Double, seed: UInt64) throws(InvalidArgument) -> Dataset {
        try checkRatio(ratio)
        let rowsByClass = try classRows(data)
        let counts = rowsByClass.map(\.count)
        let majority = majorityClass(counts)
        let smallest = counts.min()!
        let majorityTarget = Int((Double(smallest) / ratio).rounded(.down))
        if majorityTarget > counts[majority] {
            throw InvalidArgument(
                field: .resampleRatio,
                message: "ratio \(ratio) would need \(majorityTarget) majority rows but there are only \(counts[majority]); under-sampling only removes rows (the current ratio is \(Double(smallest) / Double(counts[majority]))).")
        }
        var random = SeededGenerator(seed: seed)
        var keep = [Int]()
        for (c, rows) in rowsByClass.enumerated() {
            let target = c == majority ? majorityTarget : smallest
            if target >= rows.count {
                keep += rows
            } else {
                // Partial Fisher–Yates: the first `target` of a shuffle, without replacement.
                var pool = rows
                for i in 0..<target { pool.swapAt(i, i + random.nextInt(below: pool.count - i)) }
                keep += pool[0..<target]
            }
        }
        keep.sort()
        return data.selecting(rows: keep)
    }

    /// SMOTE (Chawla, Bowyer, Hall & Kegelmeyer 2002): for each new row of a class, pick one of
    /// its rows uniformly, pick one of that row's `k` nearest neighbours within the same class
    /// (Euclidean distance, exact brute force, ties to the lower row index) uniformly, and place
    /// the new row at `x + gap × (neighbour − x)` with `gap` uniform in [0, 1). Classes are
    /// brought to `⌊ratio × n_majority⌋` as in `randomOver`.
    ///
    /// Distances are computed on the features as given: standardize first (fit on the training
    /// part) when features have different scales.
    ///
    /// - Parameter k: neighbours per row, at least 1 and below the row count of every class that
    ///   is over-sampled (imbalanced-learn's default is 5).
    public static func smote(_ data: Dataset, ratio: Double, k: Int, seed: UInt64) throws(InvalidArgument) -> Dataset {
        let plan = try overSamplingPlan(data, ratio: ratio)
        if k < 1 {
            throw InvalidArgument(field: .neighbours, message: "k must be at least 1, got \(k).")
        }
        for (c, extra) in plan.extra.enumerated() where extra > 0 && plan.rowsByClass[c].count <= k {
            throw InvalidArgument(
                field: .neighbours,
                message: "k must be below the number of rows of class '\(data.classLabels[c])' (\(plan.rowsByClass[c].count)) so every row has \(k) neighbours; got k = \(k).")
        }
        let width = data.featureCount
        var result = data
        var random = SeededGenerator(seed: seed)
        for (c, extra) in plan.extra.enumerated() where extra > 0 {
            let rows = plan.rowsByClass[c]
            let neighbours = nearestNeighbours(data, rows: rows, k: k)
            var synthetic = [Float](repeating: 0, count: extra * width)
            data.features.withRows(width: width) { values in
                for s in 0..<extra {
                    let i = random.nextInt(below: rows.count)
                    let j = neighbours[i * k + random.nextInt(below: k)]
                    let gap = random.nextUnit()
                    let a = values[rows[i]]
                    let b = values[rows[j]]
                    for f in 0..<width {
                        let x = Double(a[f])
                        synthetic[s * width + f] = Float(x + gap * (Double(b[f]) - x))
                    }
                }
            }
            result.features += synthetic
            result.classIndex += repeatElement(Int32(c), count: extra)
            result.ids = nil  // the rows SMOTE makes up have no identity
        }
        return result
    }

    /// For each of `rows`, the positions (into `rows`) of its `k` nearest other rows, nearest first.
    /// Brute force, O(n² × features), squared distances in `Double`; ~350 × 350 × 30 takes well
    /// under a millisecond.
    static func nearestNeighbours(_ data: Dataset, rows: [Int], k: Int) -> [Int] {
        let n = rows.count
        let width = data.featureCount
        // Gather the class's rows contiguously.
        var points = [Double](repeating: 0, count: n * width)
        data.features.withRows(width: width) { values in
            for (i, row) in rows.enumerated() {
                let from = values[row]
                for f in 0..<width { points[i * width + f] = Double(from[f]) }
            }
        }
        var result = [Int](repeating: 0, count: n * k)
        var bestDistance = [Double](repeating: 0, count: k)
        var bestIndex = [Int](repeating: 0, count: k)
        points.withUnsafeBufferPointer { p in
            for i in 0..<n {
                var found = 0
                let a = p.baseAddress! + i * width
                for j in 0..<n where j != i {
                    let b = p.baseAddress! + j * width
                    var d = 0.0
                    for f in 0..<width {
                        let t = a[f] - b[f]
                        d += t * t
                    }
                    // Insert into the sorted top-k; equal distances keep the earlier j first.
                    if found < k || d < bestDistance[k - 1] {
                        var slot = found < k ? found : k - 1
                        while slot > 0 && bestDistance[slot - 1] > d {
                            bestDistance[slot] = bestDistance[slot - 1]
                            bestIndex[slot] = bestIndex[slot - 1]
                            slot -= 1
                        }
                        bestDistance[slot] = d
                        bestIndex[slot] = j
                        if found < k { found += 1 }
                    }
                }
                for t in 0..<k { result[i * k + t] = bestIndex[t] }
            }
        }
        return result
    }

    struct OverSamplingPlan {
        var rowsByClass: [[Int]]
        var extra: [Int]
    }

    static func overSamplingPlan(_ data: Dataset, ratio: Double) throws(InvalidArgument) -> OverSamplingPlan {
        try checkRatio(ratio)
        let rowsByClass = try classRows(data)
        let counts = rowsByClass.map(\.count)
        let majority = majorityClass(counts)
        let target = Int((ratio * Double(counts[majority])).rounded(.down))
        let smallest = counts.min()!
        if smallest > target {
            throw InvalidArgument(
                field: .resampleRatio,
                message: "ratio \(ratio) asks for \(target) rows per rare class, fewer than the \(smallest) already there; over-sampling only adds rows (the current ratio is \(Double(smallest) / Double(counts[majority]))).")
        }
        let extra = counts.enumerated().map { c, n in c == majority ? 0 : max(0, target - n) }
        return OverSamplingPlan(rowsByClass: rowsByClass, extra: extra)
    }

    static func checkRatio(_ ratio: Double) throws(InvalidArgument) {
        if !(ratio > 0 && ratio <= 1) {
            throw InvalidArgument(field: .resampleRatio,
                                  message: "ratio (rare-class rows per majority row after resampling) must be above 0 and at most 1, got \(ratio).")
        }
    }

    /// Rows of each class in row order; every class needs at least one row and there must be two classes.
    static func classRows(_ data: Dataset) throws(InvalidArgument) -> [[Int]] {
        if data.classCount < 2 {
            throw InvalidArgument(field: .classLabels,
                                  message: "Resampling needs at least two classes; the data has \(data.classCount).")
        }
        var rows = [[Int]](repeating: [], count: data.classCount)
        for (row, c) in data.classIndex.enumerated() { rows[Int(c)].append(row) }
        if let empty = rows.firstIndex(where: \.isEmpty) {
            throw InvalidArgument(field: .classLabels,
                                  message: "Class '\(data.classLabels[empty])' has no rows, so it cannot be resampled.")
        }
        return rows
    }

    /// The largest class, the earliest on a tie.
    /// Rows a resampling of data with `classCounts` at `ratio` will hold, to weigh it before it is
    /// made: over-sampling (random or SMOTE) adds `⌊ratio × n_majority⌋ − n` rows to each smaller
    /// class, under-sampling keeps `⌊n_smallest / ratio⌋` majority rows and `n_smallest` of the
    /// others. A ratio the resampling will refuse gives the rows as they are.
    public static func resultRows(classCounts counts: [Int], ratio: Double, over: Bool) -> Int {
        let total = counts.reduce(0, +)
        guard ratio > 0, ratio <= 1, let smallest = counts.min(), !counts.isEmpty else { return total }
        let majority = majorityClass(counts)
        if over {
            let target = Int((ratio * Double(counts[majority])).rounded(.down))
            return total + counts.enumerated().reduce(0) { sum, pair in pair.offset == majority ? sum : sum + max(0, target - pair.element) }
        }
        let majorityTarget = min(counts[majority], Int((Double(smallest) / ratio).rounded(.down)))
        return counts.enumerated().reduce(0) { sum, pair in sum + (pair.offset == majority ? majorityTarget : min(pair.element, smallest)) }
    }

    static func majorityClass(_ counts: [Int]) -> Int {
        var best = 0
        for c in counts.indices where counts[c] > counts[best] { best = c }
        return best
    }
}
