/// One score column sorted once (descending) and collapsed to its distinct values: the shared
/// input of every ranking metric (ROC/PR curves, ROC AUC, average precision, best-F1 threshold).
///
/// `thresholds[i]` is the i-th largest distinct score; `truePositives[i]` / `falsePositives[i]`
/// count the rows with score ≥ `thresholds[i]` that are / are not positive. This is scikit-learn's
/// `_binary_clf_curve` (`confusion_matrix_at_thresholds`), so ties are handled the same way: rows
/// with equal scores enter together.
///
/// Sorting is an LSD radix sort on the float's bit pattern (3 passes of 11 bits, with passes that
/// would move nothing skipped), so ranking is O(n) with two `n`-sized buffers and no per-row
/// allocation. `-0.0` is ranked as `+0.0`; NaN scores are not supported (they rank above +∞).
struct RankedScores {
    var thresholds: [Float] = []
    var truePositives: [Int] = []
    var falsePositives: [Int] = []

    var positives: Int { truePositives.last ?? 0 }
    var negatives: Int { falsePositives.last ?? 0 }
    var count: Int { thresholds.count }

    /// Ranks `count` scores read at `scores[offset + i * stride]`; row i is positive when
    /// `classIndex[i] == positiveClass`.
    init(scores: UnsafeBufferPointer<Float>, stride: Int, offset: Int, count n: Int,
         classIndex: UnsafeBufferPointer<Int32>, positiveClass: Int32) {
        guard n > 0 else { return }
        let keys = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: n)
        let spare = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: n)
        let histogram = UnsafeMutableBufferPointer<Int>.allocate(capacity: 3 * 2048)
        defer { keys.deallocate(); spare.deallocate(); histogram.deallocate() }
        histogram.initialize(repeating: 0)
        var index = offset
        for i in 0..<n {
            var score = scores[index]
            index += stride
            if score == 0 { score = 0 }  // -0.0 → +0.0
            let bits = score.bitPattern
            let sortable = bits & 0x8000_0000 != 0 ? ~bits : bits | 0x8000_0000
            let key = UInt64(sortable) << 32 | (classIndex[i] == positiveClass ? 1 : 0)
            keys[i] = key
            histogram[Int(truncatingIfNeeded: (key >> 32) & 0x7FF)] += 1
            histogram[2048 + Int(truncatingIfNeeded: (key >> 43) & 0x7FF)] += 1
            histogram[4096 + Int(truncatingIfNeeded: key >> 54)] += 1
        }
        var source = keys, target = spare
        for pass in 0..<3 {
            let base = pass * 2048
            let shift = UInt64(32 + 11 * pass)
            // A pass where every key has the same digit would leave the order unchanged.
            var skip = false
            for digit in 0..<2048 where histogram[base + digit] != 0 {
                skip = histogram[base + digit] == n
                break
            }
            if skip { continue }
            var start = 0
            for digit in 0..<2048 {
                let c = histogram[base + digit]
                histogram[base + digit] = start
                start += c
            }
            for key in source {
                let digit = base + Int(truncatingIfNeeded: (key >> shift) & 0x7FF)
                target[histogram[digit]] = key
                histogram[digit] += 1
            }
            swap(&source, &target)
        }
        let sorted = source
        thresholds.reserveCapacity(min(n, 65_536))
        truePositives.reserveCapacity(min(n, 65_536))
        falsePositives.reserveCapacity(min(n, 65_536))
        var i = n - 1
        var tp = 0
        while i >= 0 {
            let value = sorted[i] >> 32
            repeat {
                tp += Int(truncatingIfNeeded: sorted[i] & 1)
                i -= 1
            } while i >= 0 && sorted[i] >> 32 == value
            let bits = UInt32(truncatingIfNeeded: value)
            let original = bits & 0x8000_0000 != 0 ? bits & 0x7FFF_FFFF : ~bits
            thresholds.append(Float(bitPattern: original))
            truePositives.append(tp)
            falsePositives.append(n - 1 - i - tp)
        }
    }

    /// Area under the ROC curve by the trapezoidal rule over every distinct threshold, summed
    /// exactly in integers (scikit-learn's `roc_auc_score`, which also uses the trapezoid).
    /// `nil` when the truth has only one class (undefined; callers apply their convention).
    var rocAUC: Double? {
        let p = positives, q = negatives
        guard p > 0, q > 0 else { return nil }
        var twiceArea = 0
        var previousTP = 0, previousFP = 0
        truePositives.withUnsafeBufferPointer { tps in
            falsePositives.withUnsafeBufferPointer { fps in
                for i in 0..<tps.count {
                    twiceArea += (fps[i] - previousFP) * (tps[i] + previousTP)
                    previousTP = tps[i]
                    previousFP = fps[i]
                }
            }
        }
        return Double(twiceArea) / (2 * Double(p) * Double(q))
    }

    /// Non-interpolated average precision, Σ (Rᵢ − Rᵢ₋₁) Pᵢ over distinct thresholds from the
    /// highest down (scikit-learn's `average_precision_score`). `nil` when there is no positive.
    var averagePrecision: Double? {
        let p = positives
        guard p > 0 else { return nil }
        var sum = 0.0
        var previousTP = 0
        truePositives.withUnsafeBufferPointer { tps in
            falsePositives.withUnsafeBufferPointer { fps in
                for i in 0..<tps.count where tps[i] != previousTP {
                    sum += Double(tps[i] - previousTP) * (Double(tps[i]) / Double(tps[i] + fps[i]))
                    previousTP = tps[i]
                }
            }
        }
        return sum / Double(p)
    }

    /// Index of the distinct threshold with the largest F1 = 2·TP / (TP + FP + P) for "positive iff
    /// score ≥ threshold"; ties go to the larger threshold (the earlier index). Compared exactly
    /// by cross-multiplication. `nil` when there is no positive (F1 is 0 everywhere).
    var bestF1Index: Int? {
        let p = positives
        guard p > 0 else { return nil }
        var best = 0
        var bestNumerator = 0, bestDenominator = 1
        for i in 0..<count {
            let numerator = truePositives[i]
            let denominator = truePositives[i] + falsePositives[i] + p
            if numerator * bestDenominator > bestNumerator * denominator {
                best = i
                bestNumerator = numerator
                bestDenominator = denominator
            }
        }
        return best
    }
}

/// Traps with a message, also in `-Ounchecked` builds (where `precondition` is not checked).
@inline(__always)
func require(_ condition: Bool, _ message: @autoclosure () -> String,
             file: StaticString = #fileID, line: UInt = #line) {
    if !condition { fatalError(message(), file: file, line: line) }
}
