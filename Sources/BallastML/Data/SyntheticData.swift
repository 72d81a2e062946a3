import Dispatch

/// Makes labelled synthetic tables with a chosen class balance, deterministically from a seed.
///
/// Recipe, for a valid `SyntheticSpec` with `K` classes, `m = informative` features:
/// 1. **Class counts** are `rows × classProportions` rounded by largest remainder, so they are exact
///    and sum to `rows`. Class labels are `"0"`, `"1"`, … in the order of `classProportions`.
/// 2. **Labels** are laid out in class order and shuffled (Fisher–Yates, setup stream).
/// 3. **Informative columns** are `m` columns picked at random (setup stream), kept in column order;
///    the others are noise.
/// 4. **Class centres** in the informative subspace: class `c` sits at the `c`-th point of the integer
///    lattice `{0, …, L−1}^m` (the smallest `L` with `L^m ≥ K`, first coordinate varying fastest),
///    scaled by `separation` and turned by a random rotation (Gram–Schmidt on a Gaussian matrix). So
///    the two closest centres are exactly `separation` apart; for binary data the centres are
///    `separation` apart, which puts the Bayes error at `Φ(−separation/2)` for equal classes.
/// 5. **Label noise** (count-preserving flips): for every class `c` other than the majority class,
///    `k_c = round(labelNoise × n_c)` rows of class `c` and `k_c` rows of the majority class trade
///    clusters — the `c` rows get features from the majority's cluster and the majority rows get
///    features from `c`'s cluster. That is exactly a flip of `2·k_c` labels (`c` → majority and
///    majority → `c`), so every class count stays exact, a fraction `labelNoise` of each rare class
///    is mislabelled, and the majority loses only as many as the rare classes (uniform flips of 1 %
///    of 284,315 legitimate rows would outnumber 492 frauds six to one). The rows chosen are the first
///    ones of each class in the shuffled order, so uniformly random subsets. The majority class is
///    the largest one, the earliest on a tie; `Σ k_c` must not exceed its count.
/// 6. **Features**: each row gets independent standard normal values (polar method); informative
///    columns add the row's cluster centre. Values are computed in `Double` and stored as `Float`.
///    Rows are produced in blocks of 8,192, block `b` from sub-stream `b + 1` of the seed, so blocks
///    can run on several threads and the result does not depend on how they are scheduled.
///
/// Binary data gets `positiveClass` = the rarer class (class 1 on a tie); multiclass data gets `nil`.
public enum SyntheticData {
    static let blockRows = 8_192
    /// At most this many feature values (4 GiB of `Float`) in one generated table.
    public static let maxValues = 1 << 30

    public static func generate(_ spec: SyntheticSpec) throws(InvalidArgument) -> Dataset {
        try validate(spec)
        let rows = spec.rows
        let width = spec.features
        let classCount = spec.classProportions.count
        let counts = largestRemainder(total: rows, shares: spec.classProportions)
        if let empty = counts.firstIndex(of: 0) {
            throw InvalidArgument(
                field: .classProportions,
                message: "Class \(empty) (share \(spec.classProportions[empty])) would get no rows out of \(rows); raise rows or its proportion.")
        }

        var setup = SeededGenerator(seed: spec.seed, stream: 0)
        var labels = [Int32]()
        labels.reserveCapacity(rows)
        for (c, n) in counts.enumerated() { labels.append(contentsOf: repeatElement(Int32(c), count: n)) }
        setup.shuffle(&labels)

        var columns = Array(0..<width)
        setup.shuffle(&columns)
        let informativeColumns = columns.prefix(spec.informative).sorted()

        // Cluster of each row: its class, except one-sided noise rows, which use the majority's.
        let majority = counts.indices.max { counts[$0] < counts[$1] || (counts[$0] == counts[$1] && $0 > $1) }!
        var cluster = labels
        if spec.labelNoise > 0 {
            let flips = counts.enumerated().map { c, n in
                c == majority ? 0 : Int((spec.labelNoise * Double(n)).rounded(.toNearestOrAwayFromZero))
            }
            let totalFlips = flips.reduce(0, +)
            if totalFlips > counts[majority] {
                throw InvalidArgument(
                    field: .labelNoise,
                    message: "A label noise of \(spec.labelNoise) would flip \(totalFlips) majority rows but the majority class has only \(counts[majority]); lower it.")
            }
            // Majority rows handed out in row order, to class 0's flips first, then class 1's, ...
            var rareLeft = flips
            var majorityTargets = [Int32]()
            majorityTargets.reserveCapacity(totalFlips)
            for (c, k) in flips.enumerated() { majorityTargets += repeatElement(Int32(c), count: k) }
            var nextTarget = 0
            for row in 0..<rows {
                let c = Int(labels[row])
                if c == majority {
                    if nextTarget < majorityTargets.count {
                        cluster[row] = majorityTargets[nextTarget]
                        nextTarget += 1
                    }
                } else if rareLeft[c] > 0 {
                    rareLeft[c] -= 1
                    cluster[row] = Int32(majority)
                }
            }
        }

        // offsets[c * width + j]: what cluster c adds to column j.
        var offsets = [Double](repeating: 0, count: classCount * width)
        let m = spec.informative
        if m > 0 {
            let rotation = randomRotation(dimension: m, using: &setup)
            var side = 1
            while power(side, m) < classCount { side += 1 }
            for c in 0..<classCount {
                var lattice = [Double](repeating: 0, count: m)
                var rest = c
                for t in 0..<m { lattice[t] = Double(rest % side) * spec.separation; rest /= side }
                for (t, column) in informativeColumns.enumerated() {
                    var value = 0.0
                    for u in 0..<m { value += rotation[t * m + u] * lattice[u] }
                    offsets[c * width + column] = value
                }
            }
        }

        let features = [Float](unsafeUninitializedCapacity: rows * width) { buffer, initialized in
            let base = buffer.baseAddress!
            let blocks = (rows + blockRows - 1) / blockRows
            offsets.withUnsafeBufferPointer { offsets in
                cluster.withUnsafeBufferPointer { cluster in
                    // Blocks write disjoint rows, so sharing the raw pointers across threads is safe.
                    let out = UncheckedSendable(base)
                    let offsetBase = UncheckedSendable(offsets.baseAddress!)
                    let clusterBase = UncheckedSendable(cluster.baseAddress!)
                    let seed = spec.seed
                    let fill: @Sendable (Int) -> Void = { block in
                        var random = SeededGenerator(seed: seed, stream: UInt64(block + 1))
                        var spare = 0.0
                        var haveSpare = false
                        let first = block * blockRows
                        for row in first..<min(rows, first + blockRows) {
                            let offset = offsetBase.value + Int(clusterBase.value[row]) * width
                            let target = out.value + row * width
                            for j in 0..<width {
                                let z: Double
                                if haveSpare {
                                    z = spare
                                    haveSpare = false
                                } else {
                                    let pair = random.nextGaussianPair()
                                    z = pair.0
                                    spare = pair.1
                                    haveSpare = true
                                }
                                target[j] = Float(z + offset[j])
                            }
                        }
                    }
                    if blocks >= 4 {
                        DispatchQueue.concurrentPerform(iterations: blocks, execute: fill)
                    } else {
                        for block in 0..<blocks { fill(block) }
                    }
                }
            }
            initialized = rows * width
        }

        let names = spec.featureNames ?? (1...max(1, width)).prefix(width).map { "x\($0)" }
        let positive: Int? = classCount == 2 ? (counts[1] <= counts[0] ? 1 : 0) : nil
        return Dataset(featureNames: names, features: features, classIndex: labels,
                       classLabels: (0..<classCount).map(String.init), positiveClass: positive)
    }

    static func power(_ base: Int, _ exponent: Int) -> Int {
        var result = 1
        for _ in 0..<exponent {
            result = result.multipliedReportingOverflow(by: base).overflow ? Int.max : result * base
            if result == Int.max { break }
        }
        return result
    }

    /// A random m×m orthogonal matrix, row-major: modified Gram–Schmidt on standard normal rows.
    static func randomRotation(dimension m: Int, using random: inout SeededGenerator) -> [Double] {
        while true {
            var q = (0..<(m * m)).map { _ in random.nextGaussian() }
            var ok = true
            for i in 0..<m {
                for k in 0..<i {
                    var dot = 0.0
                    for t in 0..<m { dot += q[i * m + t] * q[k * m + t] }
                    for t in 0..<m { q[i * m + t] -= dot * q[k * m + t] }
                }
                var norm = 0.0
                for t in 0..<m { norm += q[i * m + t] * q[i * m + t] }
                norm = norm.squareRoot()
                if !(norm > 1e-8) { ok = false; break }
                for t in 0..<m { q[i * m + t] /= norm }
            }
            if ok { return q }
        }
    }

    /// Checks a spec without generating anything, so a caller can check the budget after it.
    public static func validate(_ spec: SyntheticSpec) throws(InvalidArgument) {
        if spec.rows < 2 {
            throw InvalidArgument(field: .rowCount, message: "rows must be at least 2, got \(spec.rows).")
        }
        if spec.features < 1 {
            throw InvalidArgument(field: .featureCount, message: "features must be at least 1, got \(spec.features).")
        }
        if spec.rows.multipliedReportingOverflow(by: spec.features).overflow || spec.rows * spec.features > maxValues {
            throw InvalidArgument(
                field: .rowCount,
                message: "rows × features must be at most \(maxValues) values (4 GiB); \(spec.rows) × \(spec.features) is too large.")
        }
        if spec.informative < 0 || spec.informative > spec.features {
            throw InvalidArgument(
                field: .informativeCount,
                message: "informative must be between 0 and features (\(spec.features)), got \(spec.informative).")
        }
        let shares = spec.classProportions
        if shares.count < 2 {
            throw InvalidArgument(field: .classProportions,
                                  message: "The class proportions need one share per class and at least two classes, got \(shares.count).")
        }
        if shares.count > Int(Int32.max) || shares.count > spec.rows {
            throw InvalidArgument(field: .classProportions,
                                  message: "There are more classes (\(shares.count)) than rows (\(spec.rows)).")
        }
        if let bad = shares.firstIndex(where: { !($0 > 0) || !$0.isFinite }) {
            throw InvalidArgument(field: .classProportions,
                                  message: "Every class proportion must be a positive finite number; class \(bad) has \(shares[bad]).")
        }
        let sum = shares.reduce(0, +)
        if abs(sum - 1) > 1e-9 {
            throw InvalidArgument(field: .classProportions,
                                  message: "The class proportions must sum to 1 (within 1e-9); they sum to \(sum).")
        }
        if !spec.separation.isFinite || spec.separation < 0 {
            throw InvalidArgument(field: .separation,
                                  message: "separation must be a finite number at least 0, got \(spec.separation).")
        }
        if !(spec.labelNoise >= 0 && spec.labelNoise < 0.5) {
            throw InvalidArgument(field: .labelNoise,
                                  message: "The label noise must be at least 0 and below 0.5, got \(spec.labelNoise).")
        }
        if let names = spec.featureNames {
            if names.count != spec.features {
                throw InvalidArgument(field: .featureNames,
                                      message: "The feature names list has \(names.count) names but there are \(spec.features) features.")
            }
            if names.contains(where: \.isEmpty) {
                throw InvalidArgument(field: .featureNames, message: "Feature names must not be empty.")
            }
            if Set(names).count != names.count {
                throw InvalidArgument(field: .featureNames, message: "Feature names must be unique.")
            }
        }
    }
}

/// Hands a value that is only read, or written in disjoint parts, to concurrently running blocks.
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
