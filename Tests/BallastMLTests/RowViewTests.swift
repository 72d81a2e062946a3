import Foundation
import XCTest
@testable import BallastML

/// Row-index views: a selection of a disk-backed dataset reads the base through a row map instead
/// of copying it, and everything computed on it is what the copy gives, bit for bit.
final class RowViewTests: XCTestCase {
    private static func backed(_ data: Dataset) -> (Dataset, RecordingBacking) {
        let backing = RecordingBacking(data.features.array)
        var backed = data
        backed.features = FeatureMatrix(backing: backing)
        return (backed, backing)
    }

    func testASelectionOfABackedDatasetIsAViewThatReadsAsTheCopy() throws {
        let values: [Float] = [1.5, -2, 0, .infinity, 3.25, -0.0, 7, 8]
        let owned = Dataset(schema: .numeric(["a", "b"]), features: values, classIndex: [0, 1, 0, 1], classLabels: ["n", "y"],
                            positiveClass: 1, ids: ["r1", "r2", "r3", "r4"])
        let (backed, backing) = Self.backed(owned)
        let view = backed.selecting(rows: [3, 0, 3])
        let copy = owned.selecting(rows: [3, 0, 3])
        XCTAssertTrue(view.features.isView)
        XCTAssertTrue(view.features.isBacked)
        XCTAssertFalse(copy.features.isView)
        XCTAssertEqual(view, copy)
        XCTAssertEqual(Array(view.features), [7, 8, 1.5, -2, 7, 8])
        XCTAssertEqual(view.features[2], 1.5)
        XCTAssertEqual(view.ids, ["r4", "r1", "r4"])
        XCTAssertEqual(view.classIndex, [1, 0, 1])
        XCTAssertEqual(view.features.residentBytes, 3 * 4, "a view holds its row map: 4 bytes a row")
        XCTAssertEqual(view.residentBytes, copy.residentBytes - copy.features.count * 4 + 3 * 4)
        XCTAssertEqual(view.byteCount, copy.byteCount, "byteCount counts the values wherever they live")
        XCTAssertTrue(backing.released.isEmpty, "making a view reads and releases nothing")
        view.features.withRows(width: 2) { rows in
            XCTAssertEqual(rows.count, 3)
            XCTAssertEqual(rows[0], backing.base + 6, "row 0 of the view is row 3 of the base, in place")
            XCTAssertEqual(Array(rows.row(1)), [1.5, -2])
        }

        // A view of a view composes the maps: it reads the base directly.
        let viewOfView = view.selecting(rows: [1, 2])
        XCTAssertTrue(viewOfView.features.isView)
        XCTAssertEqual(viewOfView, copy.selecting(rows: [1, 2]))
        viewOfView.features.withRows(width: 2) { rows in
            XCTAssertEqual(rows[0], backing.base + 0)
            XCTAssertEqual(rows[1], backing.base + 6)
        }

        // Small views may still be gathered into one buffer; every gather is counted.
        let gathers = FeatureMatrix.gatherCount
        XCTAssertEqual(view.features.withUnsafeBufferPointer { Array($0) }, copy.features.array)
        XCTAssertEqual(view.features.array, copy.features.array)
        XCTAssertEqual(FeatureMatrix.gatherCount, gathers + 2)

        // Writing copies the view's rows into memory; the base is never written.
        var written = view
        written.features[0] = 42
        XCTAssertFalse(written.features.isBacked)
        XCTAssertEqual(written.features.array, [42, 8, 1.5, -2, 7, 8])
        XCTAssertEqual(view.features[0], 7)
        XCTAssertEqual(backing.base[6], 7)

        // An in-memory dataset's selection stays a copy.
        XCTAssertFalse(owned.selecting(rows: [1]).features.isBacked)
    }

    /// The view holds the backing alive: the dataset it came from may go first.
    func testAViewOutlivesItsBase() throws {
        let data = try TrainingFixtures.small(rows: 50, features: 3, seed: 2)
        var view: Dataset?
        weak var weakBacking: RecordingBacking?
        do {
            let (backed, backing) = Self.backed(data)
            weakBacking = backing
            view = backed.selecting(rows: [4, 9, 4])
        }
        XCTAssertNotNil(weakBacking, "the view keeps the base's backing")
        XCTAssertEqual(view, data.selecting(rows: [4, 9, 4]))
        view = nil
        XCTAssertNil(weakBacking, "and lets it go with the last view")
    }

    /// Training on a view gives the model training on the copy gives, bit for bit, for every
    /// optimiser and shape; it reads the view in place (no gather) and lets the base go after passes.
    func testTrainingOnAViewIsBitIdenticalToTrainingOnTheCopy() throws {
        let binary = try TrainingFixtures.small(rows: 12_000, features: 6, classes: 2, seed: 21)
        let multiclass = try TrainingFixtures.small(rows: 9_000, features: 5, classes: 3, seed: 22)
        let cases: [(String, Dataset, TrainingConfig, Bool)] = [
            ("logistic L-BFGS", binary, TrainingConfig(optimizer: .lbfgs(tolerance: 1e-9, maxIterations: 40)), false),
            ("weighted logistic L-BFGS", binary,
             TrainingConfig(optimizer: .lbfgs(tolerance: 1e-9, maxIterations: 40), classWeights: [0.6, 2.5]), false),
            ("sample-weighted logistic L-BFGS", binary, TrainingConfig(optimizer: .lbfgs(tolerance: 1e-9, maxIterations: 40)), true),
            ("focal logistic", binary, TrainingConfig(loss: .focal(gamma: 2, alpha: 0.25),
                                                      optimizer: .lbfgs(tolerance: 1e-9, maxIterations: 20)), false),
            ("softmax L-BFGS", multiclass, TrainingConfig(model: .softmax, optimizer: .lbfgs(tolerance: 1e-9, maxIterations: 30)), false),
            ("logistic Adam", binary, TrainingConfig(optimizer: .adam(learningRate: 1e-2, epochs: 2, batchSize: 256), seed: 5), false),
            ("softmax SGD", multiclass, TrainingConfig(model: .softmax, optimizer: .sgd(learningRate: 0.05, epochs: 2, batchSize: 128),
                                                       seed: 6), false),
            ("MLP", binary, TrainingConfig(model: .mlp(hidden: [8]), optimizer: .lbfgs(tolerance: 1e-9, maxIterations: 15), seed: 7), false),
        ]
        for (name, data, config, weighted) in cases {
            let (backed, backing) = Self.backed(data)
            // A shuffled selection with repeats, as over-sampling makes; then a fold of it (a view of a view).
            var random = SeededGenerator(seed: 99)
            var rows = (0..<data.rowCount).filter { $0 % 7 != 3 } + (0..<500).map { _ in random.nextInt(below: data.rowCount) }
            random.shuffle(&rows)
            let inner = (0..<rows.count).filter { $0 % 5 != 0 }
            for (label, view, copy) in [("view", backed.selecting(rows: rows), data.selecting(rows: rows)),
                                        ("view of a view", backed.selecting(rows: rows).selecting(rows: inner),
                                         data.selecting(rows: rows).selecting(rows: inner))] {
                XCTAssertTrue(view.features.isView)
                let weights = weighted ? (0..<view.rowCount).map { Double($0 % 4) * 0.5 + 0.25 } : nil
                let releasesBefore = backing.released.count
                let gathers = FeatureMatrix.gatherCount
                let onCopy = try Trainer.train(config, on: copy, sampleWeights: weights, threads: .fixed(3))
                let onView = try Trainer.train(config, on: view, sampleWeights: weights, threads: .fixed(3))
                XCTAssertEqual(onView.model, onCopy.model, "\(name), \(label)")
                XCTAssertEqual(onView.objective.bitPattern, onCopy.objective.bitPattern, "\(name), \(label)")
                XCTAssertEqual(onView.steps, onCopy.steps, "\(name), \(label)")
                let viewProbabilities = try onCopy.model.probabilities(view, threads: .fixed(2))
                XCTAssertEqual(viewProbabilities, try onCopy.model.probabilities(copy, threads: .fixed(2)), "\(name), \(label)")
                XCTAssertEqual(FeatureMatrix.gatherCount, gathers, "\(name), \(label): the view was read in place")
                let newReleases = backing.released.dropFirst(releasesBefore)
                XCTAssertFalse(newReleases.isEmpty, "\(name), \(label): the base was let go after the passes")
                XCTAssertTrue(newReleases.allSatisfy { $0 == 0..<backing.count }, "\(name), \(label): a view releases its whole base")
            }
        }
    }

    /// Statistics, the standardiser's fit and SMOTE's neighbours read a view in place and agree with the copy.
    func testStatisticsStandardizingAndResamplingAViewEqualTheCopy() throws {
        let data = try TrainingFixtures.small(rows: 3_000, features: 4, classes: 2, seed: 31)
        let (backed, _) = Self.backed(data)
        let rows = (0..<data.rowCount).reversed().filter { $0 % 3 != 1 }
        let view = backed.selecting(rows: Array(rows))
        let copy = data.selecting(rows: Array(rows))
        let gathers = FeatureMatrix.gatherCount
        XCTAssertEqual(view.featureStatistics(missing: nil), copy.featureStatistics(missing: nil))
        let scaler = Standardizer.fit(view)
        XCTAssertEqual(scaler.mean, Standardizer.fit(copy).mean)
        XCTAssertEqual(scaler.scale, Standardizer.fit(copy).scale)
        XCTAssertEqual(FeatureMatrix.gatherCount, gathers, "statistics and the fit read the view in place")

        // Standardizing writes new values: the view becomes an owned copy, equal to the copy's.
        let scaled = try scaler.apply(view)
        XCTAssertFalse(scaled.features.isBacked)
        XCTAssertEqual(scaled, try scaler.apply(copy))

        // Over- and under-sampling pick rows: views again. SMOTE makes rows: owned.
        let over = try Resampling.randomOver(view, ratio: 1, seed: 4)
        XCTAssertTrue(over.features.isView)
        XCTAssertEqual(over, try Resampling.randomOver(copy, ratio: 1, seed: 4))
        let under = try Resampling.randomUnder(view, ratio: 1, seed: 4)
        XCTAssertTrue(under.features.isView)
        XCTAssertEqual(under, try Resampling.randomUnder(copy, ratio: 1, seed: 4))
        let smote = try Resampling.smote(view, ratio: 1, k: 5, seed: 4)
        XCTAssertFalse(smote.features.isBacked)
        XCTAssertEqual(smote, try Resampling.smote(copy, ratio: 1, k: 5, seed: 4))
    }

    /// Matching a view's columns to another order reads it in place and gives the copy's result.
    func testAligningAViewToReorderedColumnsEqualsAligningTheCopy() throws {
        let data = try TrainingFixtures.small(rows: 400, features: 3, seed: 41)
        let (backed, _) = Self.backed(data)
        let rows = Array((0..<400).reversed().filter { $0 % 4 != 0 })
        let view = backed.selecting(rows: rows), copy = data.selecting(rows: rows)
        let names = data.featureNames
        let reordered = DatasetSchema.numeric([names[2], names[0], names[1]])
        let gathers = FeatureMatrix.gatherCount
        let fromView = try view.aligned(to: reordered, classes: data.classLabels, positiveClass: data.positiveClass, unseenLevels: .refuse)
        let fromCopy = try copy.aligned(to: reordered, classes: data.classLabels, positiveClass: data.positiveClass, unseenLevels: .refuse)
        XCTAssertTrue(fromView.reordered)
        XCTAssertEqual(fromView.dataset, fromCopy.dataset)
        XCTAssertEqual(fromView.dataset.features[0], copy.features[2])
        XCTAssertEqual(FeatureMatrix.gatherCount, gathers)
    }

    /// A view past `gatherLimit` refuses to be gathered (it would be an unannounced copy of the
    /// whole selection); the readers every pass uses need no gather, so they work at any size.
    func testALargeViewIsReadInPlaceEvenPastTheGatherLimit() throws {
        let width = 1
        let baseRows = 1 << 10
        let (backed, _) = Self.backed(Dataset(schema: .numeric(["x"]), features: (0..<baseRows).map(Float.init),
                                              classIndex: (0..<baseRows).map { Int32($0 % 2) }, classLabels: ["a", "b"],
                                              positiveClass: 1))
        // A view longer than the limit, made of repeats of a small base (cheap: the map is the size).
        let rows = (0..<(FeatureMatrix.gatherLimit + 1)).map { $0 % baseRows }
        let view = backed.selecting(rows: rows)
        XCTAssertEqual(view.features.count, (FeatureMatrix.gatherLimit + 1) * width)
        let gathers = FeatureMatrix.gatherCount
        let statistics = view.featureStatistics(missing: nil)
        XCTAssertEqual(statistics[0].max, Double(baseRows - 1))
        XCTAssertEqual(statistics[0].min, 0)
        XCTAssertEqual(FeatureMatrix.gatherCount, gathers)
    }
}
