/// How many folds and repeats a cross-validation really runs, adapted to the smallest class.
public struct FoldPlan: Sendable, Equatable {
    public var requestedFolds: Int
    public var folds: Int
    public var repeats: Int
    /// Why folds or repeats differ from what was asked; nil when nothing was adapted.
    public var note: String?

    public init(requestedFolds: Int, folds: Int, repeats: Int, note: String?) {
        self.requestedFolds = requestedFolds
        self.folds = folds
        self.repeats = repeats
        self.note = note
    }

    /// Throws InvalidArgument(field: .dataset) when a present class has < 2 rows;
    /// (field: .folds) folds < 2; (field: .repeats) repeats outside 1...20.
    public static func adapt(classCounts: [Int], classLabels: [String], folds: Int, repeats: Int?) throws(InvalidArgument) -> FoldPlan {
        throw InvalidArgument(field: .folds, message: "FoldPlan.adapt is not implemented yet.")
    }

    /// Held-out rows for each repeat and fold: [repeat][fold] → sorted row indices.
    public func heldOut(classIndex: [Int32], classCount: Int, seed: UInt64) throws(InvalidArgument) -> [[[Int]]] {
        []
    }

    public static func seed(_ base: UInt64, repeat: Int) -> UInt64 {
        base
    }
}
