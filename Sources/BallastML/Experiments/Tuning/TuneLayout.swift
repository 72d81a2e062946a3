/// Which rows each stage of a tune works on, decided before any fit so the progress total is
/// known at the start: the holdout split or the outer folds, after any fallback.
struct TuneLayout {
    /// What will actually run.
    var estimate: HonestEstimateMethod
    /// Row indices (sorted) of the selection and holdout parts.
    var holdout: (selection: [Int], holdout: [Int])?
    /// Nested: each outer fold's test rows (sorted).
    var outer: [[Int]]?
    var notes: [String] = []

    init(data: Dataset, settings: TuneSettings) throws(InvalidArgument) {
        let counts = data.classCounts
        // The selection on all rows must be possible whatever the estimate: a class of 1 row fails here.
        _ = try FoldPlan.adapt(classCounts: counts, classLabels: data.classLabels, folds: settings.folds,
                               repeats: settings.repeats)
        estimate = .none
        switch settings.estimate {
        case .none:
            break
        case .holdout(let fraction):
            let split = try Splitting.stratifiedSplit(classIndex: data.classIndex, classCount: data.classCount,
                                                      test: fraction, validation: 0, seed: settings.base.seed)
            let held = Self.counts(split.test, data)
            let kept = Self.counts(split.train, data)
            if let short = counts.indices.first(where: { counts[$0] > 0 && (held[$0] < 1 || kept[$0] < 2) }) {
                let outerFolds = min(3, Self.smallest(counts))
                let reason = "A holdout of \(Self.percent(fraction)) of the rows cannot hold a row of class '\(data.classLabels[short])' (\(counts[short]) rows) and still leave 2 of it for the selection"
                try nest(data, outerFolds: outerFolds, settings: settings)
                if case .nested = estimate {
                    notes.append("\(reason): the estimate is nested cross-validation with \(outerFolds) outer folds instead.")
                } else if let last = notes.popLast() {
                    notes.append("\(reason), and nested cross-validation cannot stand in for it. \(last)")
                }
            } else {
                estimate = .holdout(fraction: fraction)
                holdout = (split.train, split.test)
                if let thin = counts.indices.first(where: { counts[$0] > 0 && held[$0] < 5 }) {
                    notes.append("The holdout holds only \(held[thin]) row\(held[thin] == 1 ? "" : "s") of class '\(data.classLabels[thin])': the honest estimate rests on \(held[thin] == 1 ? "it" : "them") and is very uncertain; estimate=nested scores every row once.")
                }
            }
        case .nested(let outerFolds):
            let m = Self.smallest(counts)
            if m < outerFolds {
                let label = data.classLabels[counts.indices.first { counts[$0] == m }!]
                notes.append("Class '\(label)' has only \(m) rows, fewer than the \(outerFolds) outer folds asked for: used \(m) outer folds.")
            }
            try nest(data, outerFolds: min(outerFolds, m), settings: settings)
        }
    }

    /// Outer folds, unless an outer fold's training part would keep fewer than 2 rows of a class:
    /// then no estimate can be made, and the notes say why.
    private mutating func nest(_ data: Dataset, outerFolds: Int, settings: TuneSettings) throws(InvalidArgument) {
        let counts = data.classCounts
        let m = Self.smallest(counts)
        let label = data.classLabels[counts.indices.first { counts[$0] == m }!]
        guard outerFolds >= 2 else {
            notes.append("Class '\(label)' has only \(m) rows: too few to keep any out of the selection, so there is no honest estimate; the leaderboard's scores flatter the winner.")
            return
        }
        let folds = try Splitting.stratifiedKFold(classIndex: data.classIndex, classCount: data.classCount,
                                                  folds: outerFolds, seed: settings.base.seed)
        for test in folds {
            let trainCounts = zip(counts, Self.counts(test, data)).map { $0 - $1 }
            if zip(counts, trainCounts).contains(where: { $0 > 0 && $1 < 2 }) {
                notes.append("Class '\(label)' has only \(m) rows: an outer fold would leave fewer than 2 of them to choose with, so there is no honest estimate; the leaderboard's scores flatter the winner.")
                return
            }
        }
        estimate = .nested(outerFolds: outerFolds)
        outer = folds
    }

    func plannedFits(data: Dataset, settings: TuneSettings) throws(InvalidArgument) -> Int {
        let all = try Self.selectionFits(data.classCounts, data: data, settings: settings)
        switch estimate {
        case .none:
            return all + 1
        case .holdout:
            return try Self.selectionFits(Self.counts(holdout!.selection, data), data: data, settings: settings) + 2
        case .nested:
            var total = all + 1
            for test in outer! {
                let trainCounts = zip(data.classCounts, Self.counts(test, data)).map { $0 - $1 }
                total += try Self.selectionFits(trainCounts, data: data, settings: settings) + 1
            }
            return total
        }
    }

    static func selectionFits(_ counts: [Int], data: Dataset, settings: TuneSettings) throws(InvalidArgument) -> Int {
        let plan = try FoldPlan.adapt(classCounts: counts, classLabels: data.classLabels, folds: settings.folds,
                                      repeats: settings.repeats)
        return settings.candidates.count * plan.folds * plan.repeats
    }

    static func counts(_ rows: [Int], _ data: Dataset) -> [Int] {
        var counts = [Int](repeating: 0, count: data.classCount)
        for row in rows { counts[Int(data.classIndex[row])] += 1 }
        return counts
    }

    static func smallest(_ counts: [Int]) -> Int { counts.filter { $0 > 0 }.min() ?? 0 }

    static func percent(_ fraction: Double) -> String {
        let value = fraction * 100
        return value == value.rounded() ? "\(Int(value))%" : "\(value)%"
    }
}
