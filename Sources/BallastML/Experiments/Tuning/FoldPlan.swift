/// How many folds and repeats a cross-validation really runs, adapted to the smallest class.
///
/// With m the row count of the smallest class present (classes with no rows are ignored): folds
/// used = min(requested, m), and repeats (when not given) 1 if m ≥ 50, 3 if 10 ≤ m < 50, 5 if m < 10,
/// so a tiny class is scored on more than a handful of held-out rows.
public struct FoldPlan: Sendable, Equatable {
    public var requestedFolds: Int
    public var folds: Int
    public var repeats: Int
    /// Why folds or repeats differ from what was asked; nil when nothing was adapted.
    public var note: String?

    /// Most repeats a plan accepts.
    public static let maxRepeats = 20

    public init(requestedFolds: Int, folds: Int, repeats: Int, note: String?) {
        self.requestedFolds = requestedFolds
        self.folds = folds
        self.repeats = repeats
        self.note = note
    }

    /// Throws InvalidArgument(field: .dataset) when a present class has < 2 rows;
    /// (field: .folds) folds < 2; (field: .repeats) repeats outside 1...20.
    public static func adapt(classCounts: [Int], classLabels: [String], folds: Int, repeats: Int?) throws(InvalidArgument) -> FoldPlan {
        if folds < 2 {
            throw InvalidArgument(field: .folds, message: "The number of folds must be at least 2, got \(folds).")
        }
        if let repeats, !(1...maxRepeats).contains(repeats) {
            throw InvalidArgument(field: .repeats, message: "The number of repeats must be from 1 to \(maxRepeats), got \(repeats).")
        }
        guard let smallest = classCounts.indices.filter({ classCounts[$0] > 0 }).min(by: { classCounts[$0] < classCounts[$1] }) else {
            throw InvalidArgument(field: .dataset, message: "The dataset has no rows to cross-validate.")
        }
        let m = classCounts[smallest]
        let label = smallest < classLabels.count ? classLabels[smallest] : String(smallest)
        if m < 2 {
            throw InvalidArgument(field: .dataset,
                                  message: "Class '\(label)' has only 1 row: cross-validation needs at least 2 rows of every class.")
        }
        let used = min(folds, m)
        let autoRepeats = m >= 50 ? 1 : (m >= 10 ? 3 : 5)
        let chosen = repeats ?? autoRepeats
        var note: String?
        if used < folds {
            note = "Class '\(label)' has only \(m) rows, fewer than the \(folds) folds asked for: used \(used) folds, \(times(chosen))."
        } else if repeats == nil && chosen > 1 {
            note = "Class '\(label)' has only \(m) rows: the \(used) folds were \(times(chosen)) for a steadier estimate."
        }
        return FoldPlan(requestedFolds: folds, folds: used, repeats: chosen, note: note)
    }

    private static func times(_ repeats: Int) -> String {
        repeats == 1 ? "not repeated" : "repeated \(repeats) times"
    }

    /// Held-out rows for each repeat and fold: [repeat][fold] → sorted row indices.
    ///
    /// Repeat r is `Splitting.stratifiedKFold` with seed `FoldPlan.seed(seed, repeat: r)`, so repeat 0
    /// is exactly the plain k-fold split of `seed`.
    public func heldOut(classIndex: [Int32], classCount: Int, seed: UInt64) throws(InvalidArgument) -> [[[Int]]] {
        var result: [[[Int]]] = []
        result.reserveCapacity(repeats)
        for r in 0..<repeats {
            result.append(try Splitting.stratifiedKFold(classIndex: classIndex, classCount: classCount, folds: folds,
                                                        seed: Self.seed(seed, repeat: r)))
        }
        return result
    }

    /// The split seed of repeat `r`: the base seed itself for repeat 0, an independent sub-stream after.
    public static func seed(_ base: UInt64, repeat r: Int) -> UInt64 {
        r == 0 ? base : SeededGenerator.derivedSeed(base, stream: repeatStream | UInt64(r))
    }

    /// Sub-stream tag of the repeats ("REPEAT" in ASCII), apart from the per-class streams of a split.
    private static let repeatStream: UInt64 = 0x5245_5045_4154 << 16
}
