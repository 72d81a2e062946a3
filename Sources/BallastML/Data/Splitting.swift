/// Row indices of the three parts of a train/validation/test split, each sorted ascending.
public struct SplitIndices: Sendable, Equatable {
    public var train: [Int]
    public var validation: [Int]
    public var test: [Int]

    public init(train: [Int], validation: [Int], test: [Int]) {
        self.train = train
        self.validation = validation
        self.test = test
    }
}

/// Stratified, seeded splitting of rows by class.
///
/// Both functions work class by class: the rows of class `c` (in row order) are shuffled with
/// sub-stream `c` of the seed (`SeededGenerator(seed:stream:)`), then dealt out. Adding or removing
/// rows of one class therefore never changes where another class's rows go. Classes with no rows
/// are skipped. Returned index lists are sorted ascending.
///
/// Resample (over-sample, under-sample, SMOTE) only the training part, after splitting: resampling
/// first would copy or interpolate test rows into training.
public enum Splitting {
    /// Splits rows into train / validation / test, stratified by class.
    ///
    /// For each class with `n_c` rows the part sizes are `n_c × (1 − test − validation)`,
    /// `n_c × test` and `n_c × validation` rounded by largest remainder (ties favour train, then test),
    /// so every part holds each class within one row of its exact share. A class too small to
    /// appear in the test or validation part is fine; a class that would get no training row is an
    /// error.
    ///
    /// - Parameters:
    ///   - test: fraction of each class for the test part, `0 ..< 1`.
    ///   - validation: fraction for the validation part, `0 ..< 1`, with `test + validation < 1`.
    public static func stratifiedSplit(classIndex: [Int32], classCount: Int, test: Double, validation: Double,
                                       seed: UInt64) throws(InvalidArgument) -> SplitIndices {
        if !(test >= 0 && test < 1) {
            throw InvalidArgument(field: .testFraction, message: "test must be a fraction at least 0 and below 1, got \(test).")
        }
        if !(validation >= 0 && validation < 1) {
            throw InvalidArgument(field: .validationFraction,
                                  message: "validation must be a fraction at least 0 and below 1, got \(validation).")
        }
        if !(test + validation < 1) {
            throw InvalidArgument(field: .validationFraction,
                                  message: "test + validation must be below 1 so rows remain for training; got \(test) + \(validation).")
        }
        let byClass = try rowsByClass(classIndex: classIndex, classCount: classCount, seed: seed)
        var split = SplitIndices(train: [], validation: [], test: [])
        let trainShare = 1 - test - validation
        for (c, rows) in byClass.enumerated() where !rows.isEmpty {
            // Order of the parts sets the tie-break: train, then test, then validation.
            let sizes = largestRemainder(total: rows.count, shares: [trainShare, test, validation])
            if sizes[0] == 0 {
                throw InvalidArgument(
                    field: .classIndex,
                    message: "Class \(c) has only \(rows.count) row(s): too few to keep one for training with test = \(test) and validation = \(validation).")
            }
            split.train += rows[0..<sizes[0]]
            split.test += rows[sizes[0]..<(sizes[0] + sizes[1])]
            split.validation += rows[(sizes[0] + sizes[1])...]
        }
        split.train.sort()
        split.validation.sort()
        split.test.sort()
        return split
    }

    /// Stratified k-fold: the held-out rows of each fold (train on all the others).
    ///
    /// Each class's shuffled rows are dealt so every fold gets `⌊n_c / folds⌋` or one more. The folds
    /// that take the extra rows rotate from class to class, so fold sizes differ by at most one.
    ///
    /// - Parameter folds: at least 2 and at most the row count of the smallest class present.
    public static func stratifiedKFold(classIndex: [Int32], classCount: Int, folds: Int,
                                       seed: UInt64) throws(InvalidArgument) -> [[Int]] {
        if folds < 2 {
            throw InvalidArgument(field: .folds, message: "folds must be at least 2, got \(folds).")
        }
        let byClass = try rowsByClass(classIndex: classIndex, classCount: classCount, seed: seed)
        for (c, rows) in byClass.enumerated() where !rows.isEmpty && rows.count < folds {
            throw InvalidArgument(
                field: .folds,
                message: "Class \(c) has only \(rows.count) row(s), fewer than the \(folds) folds; every fold must hold at least one row of each class.")
        }
        var result = [[Int]](repeating: [], count: folds)
        var start = 0
        for rows in byClass where !rows.isEmpty {
            let base = rows.count / folds
            let extra = rows.count % folds
            var position = 0
            for i in 0..<folds {
                let fold = (start + i) % folds
                let size = base + (i < extra ? 1 : 0)
                result[fold] += rows[position..<(position + size)]
                position += size
            }
            start = (start + extra) % folds
        }
        for i in result.indices { result[i].sort() }
        return result
    }

    /// Each class's rows, shuffled with that class's sub-stream.
    static func rowsByClass(classIndex: [Int32], classCount: Int, seed: UInt64) throws(InvalidArgument) -> [[Int]] {
        if classCount < 1 {
            throw InvalidArgument(field: .classCount, message: "The number of classes must be at least 1, got \(classCount).")
        }
        if classIndex.isEmpty {
            throw InvalidArgument(field: .classIndex, message: "There are no rows to split.")
        }
        var byClass = [[Int]](repeating: [], count: classCount)
        for (row, c) in classIndex.enumerated() {
            guard c >= 0 && Int(c) < classCount else {
                throw InvalidArgument(field: .classIndex,
                                      message: "Row \(row) has class index \(c), outside 0..<\(classCount).")
            }
            byClass[Int(c)].append(row)
        }
        for c in 0..<classCount where byClass[c].count > 1 {
            var random = SeededGenerator(seed: seed, stream: UInt64(c))
            random.shuffle(&byClass[c])
        }
        return byClass
    }
}
