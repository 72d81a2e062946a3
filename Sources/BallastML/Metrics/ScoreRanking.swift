/// Ranks one score column from the highest score down, visiting each distinct score once with the
/// counts of positive and negative rows at or above it: the walk every ranking metric is made of.
///
/// Memory: one 32-bit key a row, allocated for the walk and freed before it returns. The keys of
/// the negative rows fill the buffer from the front and those of the positive rows from the back,
/// so the class needs no bit of its own; each part is sorted in place (MSD radix sort, 8 bits a
/// digit) and the two are merged from their tops. The visits are exactly those of scikit-learn's
/// `_binary_clf_curve`: rows with equal scores enter together. `-0.0` is ranked as `+0.0`; NaN
/// scores are not supported (they rank above +∞, or below −∞ when their sign bit is set).
enum ScoreRanking {
    /// Bytes the walk holds for `rows` rows while it runs (its keys).
    static func workingBytes(rows: Int) -> Int {
        let (bytes, overflow) = rows.multipliedReportingOverflow(by: MemoryLayout<UInt32>.size)
        return overflow ? .max : bytes
    }

    /// Calls `visit(threshold, truePositives, falsePositives)` for each distinct score of
    /// `scores[offset + i * stride]`, i in `0..<n`, from the highest; row i is positive when
    /// `classIndex[i] == positiveClass`. Returns the number of positive rows.
    @discardableResult
    static func walk(scores: UnsafeBufferPointer<Float>, stride: Int, offset: Int, count n: Int,
                     classIndex: UnsafeBufferPointer<Int32>, positiveClass: Int32,
                     visit: (_ threshold: Float, _ truePositives: Int, _ falsePositives: Int) -> Void) -> Int {
        guard n > 0 else { return 0 }
        require(classIndex.count >= n && (n - 1) * stride + offset < scores.count,
                "ranking: \(n) rows do not fit \(scores.count) scores / \(classIndex.count) classes")
        let keys = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: n)
        defer { keys.deallocate() }
        var front = 0, back = n
        var index = offset
        for i in 0..<n {
            let key = sortableKey(scores[index])
            index += stride
            if classIndex[i] == positiveClass {
                back -= 1
                keys[back] = key
            } else {
                keys[front] = key
                front += 1
            }
        }
        let negatives = UnsafeMutableBufferPointer(rebasing: keys[0..<front])
        let positives = UnsafeMutableBufferPointer(rebasing: keys[front..<n])
        sortInPlace(negatives, shift: 24)
        sortInPlace(positives, shift: 24)
        // Merge from the tops: each step takes every row of the largest remaining key.
        var i = negatives.count - 1, j = positives.count - 1
        var tp = 0, fp = 0
        while i >= 0 || j >= 0 {
            let value = i < 0 ? positives[j] : j < 0 ? negatives[i] : max(negatives[i], positives[j])
            while i >= 0 && negatives[i] == value { fp += 1; i -= 1 }
            while j >= 0 && positives[j] == value { tp += 1; j -= 1 }
            visit(score(ofKey: value), tp, fp)
        }
        return positives.count
    }

    /// A key whose unsigned order is the float's order (−0.0 taken as +0.0).
    @inline(__always)
    static func sortableKey(_ score: Float) -> UInt32 {
        let bits = (score == 0 ? 0 : score).bitPattern
        return bits & 0x8000_0000 != 0 ? ~bits : bits | 0x8000_0000
    }

    @inline(__always)
    static func score(ofKey key: UInt32) -> Float {
        Float(bitPattern: key & 0x8000_0000 != 0 ? key & 0x7FFF_FFFF : ~key)
    }

    /// Sorts ascending in place: American flag sort on the byte at `shift`, then each bucket on the
    /// next byte; small buckets by insertion. No allocation but two 256-entry tables a level.
    static func sortInPlace(_ keys: UnsafeMutableBufferPointer<UInt32>, shift: Int) {
        let n = keys.count
        if n < 2 { return }
        if n <= 32 {
            for i in 1..<n {
                let key = keys[i]
                var j = i
                while j > 0 && keys[j - 1] > key { keys[j] = keys[j - 1]; j -= 1 }
                keys[j] = key
            }
            return
        }
        withUnsafeTemporaryAllocation(of: Int.self, capacity: 512) { table in
            let next = UnsafeMutableBufferPointer(rebasing: table[0..<256])
            let end = UnsafeMutableBufferPointer(rebasing: table[256..<512])
            var shift = shift
            // Bytes every key shares order nothing: go down to the first that differs.
            while true {
                next.initialize(repeating: 0)
                let s = UInt32(shift)
                for key in keys { next[Int(truncatingIfNeeded: (key >> s) & 0xFF)] += 1 }
                if next.contains(n) {
                    if shift == 0 { return }
                    shift -= 8
                    continue
                }
                break
            }
            let s = UInt32(shift)
            var start = 0
            for digit in 0..<256 {
                let count = next[digit]
                next[digit] = start
                start += count
                end[digit] = start
            }
            for digit in 0..<256 {
                while next[digit] < end[digit] {
                    var key = keys[next[digit]]
                    var home = Int(truncatingIfNeeded: (key >> s) & 0xFF)
                    while home != digit {
                        swap(&key, &keys[next[home]])
                        next[home] += 1
                        home = Int(truncatingIfNeeded: (key >> s) & 0xFF)
                    }
                    keys[next[digit]] = key
                    next[digit] += 1
                }
            }
            guard shift > 0 else { return }
            var lower = 0
            for digit in 0..<256 {
                let upper = end[digit]
                if upper - lower > 1 {
                    sortInPlace(UnsafeMutableBufferPointer(rebasing: keys[lower..<upper]), shift: shift - 8)
                }
                lower = upper
            }
        }
    }
}

/// The ranking metrics of a report, accumulated during one `ScoreRanking.walk` without keeping its
/// points: ROC AUC, average precision and the best-F1 threshold, with exactly the arithmetic (and
/// the order of the sums) of `RankedScores.rocAUC`, `averagePrecision` and `bestF1Index`.
struct RankingSummary {
    private(set) var positives = 0
    private(set) var negatives = 0
    private var twiceArea = 0
    private var precisionSum = 0.0
    private var previousTP = 0, previousFP = 0
    private var bestThreshold: Float?
    private var bestNumerator = 0, bestDenominator = 1

    init(scores: UnsafeBufferPointer<Float>, stride: Int, offset: Int, count n: Int,
         classIndex: UnsafeBufferPointer<Int32>, positiveClass: Int32) {
        var p = 0
        for i in 0..<n where classIndex[i] == positiveClass { p += 1 }
        let totalPositives = p
        ScoreRanking.walk(scores: scores, stride: stride, offset: offset, count: n,
                          classIndex: classIndex, positiveClass: positiveClass) { threshold, tp, fp in
            twiceArea += (fp - previousFP) * (tp + previousTP)
            if tp != previousTP {
                precisionSum += Double(tp - previousTP) * (Double(tp) / Double(tp + fp))
            }
            // Index 0 is the answer unless a later threshold is strictly better (ties: the larger one).
            if bestThreshold == nil { bestThreshold = threshold }
            let denominator = tp + fp + totalPositives
            if tp * bestDenominator > bestNumerator * denominator {
                bestThreshold = threshold
                bestNumerator = tp
                bestDenominator = denominator
            }
            previousTP = tp
            previousFP = fp
        }
        positives = previousTP
        negatives = previousFP
    }
}

extension RankingSummary {
    /// `RankedScores.rocAUC`: nil when the truth has only one class.
    var rocAUC: Double? {
        guard positives > 0, negatives > 0 else { return nil }
        return Double(twiceArea) / (2 * Double(positives) * Double(negatives))
    }

    /// `RankedScores.averagePrecision`: nil when there is no positive.
    var averagePrecision: Double? {
        guard positives > 0 else { return nil }
        return precisionSum / Double(positives)
    }

    /// `Thresholds.bestF1(_:)` of the same scores: 0.5 when there is no positive.
    var bestF1Threshold: Double {
        guard positives > 0, let bestThreshold else { return 0.5 }
        return Double(bestThreshold)
    }
}
