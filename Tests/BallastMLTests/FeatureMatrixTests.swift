import Foundation
import XCTest
@testable import BallastML

final class FeatureMatrixTests: XCTestCase {
    private let values: [Float] = [1.5, -2, 0, .infinity, 3.25, -0.0, 7, 8]

    func testABackedMatrixReadsAsTheOwnedOne() {
        let owned = FeatureMatrix(values)
        let backed = FeatureMatrix(backing: RecordingBacking(values))
        XCTAssertFalse(owned.isBacked)
        XCTAssertTrue(backed.isBacked)
        XCTAssertEqual(backed.count, values.count)
        XCTAssertEqual(backed, owned)
        XCTAssertEqual(owned, backed)
        XCTAssertEqual(Array(backed), values)
        XCTAssertEqual(backed.array, values)
        XCTAssertEqual(backed[3], .infinity)
        XCTAssertEqual(Array(backed[2..<5]), [0, .infinity, 3.25])
        XCTAssertEqual(backed.firstIndex(where: { !$0.isFinite }), 3)
        XCTAssertEqual(backed.withUnsafeBufferPointer { Array($0) }, values)
        XCTAssertEqual(backed.withUnsafeBytes { $0.count }, values.count * 4)
        XCTAssertNotEqual(backed, FeatureMatrix([1.5, -2, 0, .infinity, 3.25, -0.0, 7, 9]))
        XCTAssertNotEqual(backed, FeatureMatrix(Array(values.dropLast())))
        XCTAssertEqual(FeatureMatrix(), [])
    }

    /// Writing never goes through to the backing: the matrix first becomes an owned copy.
    func testWritingABackedMatrixCopiesItFirst() {
        let backing = RecordingBacking(values)
        let backed = FeatureMatrix(backing: backing)
        var written = backed
        written[0] = 42
        XCTAssertFalse(written.isBacked)
        XCTAssertEqual(written.array, [42] + values.dropFirst())
        XCTAssertEqual(backed.array, values, "the original still reads the backing")
        XCTAssertEqual(backing.base[0], 1.5)

        var appended = backed
        appended += [9]
        XCTAssertFalse(appended.isBacked)
        XCTAssertEqual(appended.array, values + [9])

        var mutated = backed
        mutated.withUnsafeMutableBufferPointer { $0[1] = 5 }
        XCTAssertEqual(mutated.array[1], 5)
        XCTAssertEqual(backing.base[1], -2)
    }

    func testReleaseAndResidentBytes() {
        let backing = RecordingBacking(values)
        let backed = FeatureMatrix(backing: backing)
        XCTAssertEqual(backed.residentBytes, 0)
        XCTAssertEqual(FeatureMatrix(values).residentBytes, values.count * 4)
        backed.release(rows: 1..<3, width: 2)
        backed.release(rows: 3..<9, width: 2)   // past the end: clamped
        backed.release(rows: 2..<2, width: 2)   // empty: nothing
        XCTAssertEqual(backing.released, [2..<6, 6..<8])
        FeatureMatrix(values).release(rows: 0..<4, width: 2)   // owned: nothing to do, no trap
    }

    func testADatasetCountsWhatItHoldsInMemory() throws {
        let schema = DatasetSchema.numeric(["a", "b"])
        let owned = Dataset(schema: schema, features: values, classIndex: [0, 1, 0, 1], classLabels: ["n", "y"],
                            positiveClass: 1, ids: ["r1", "r2", "r3", "r4"])
        var backed = owned
        let backing = RecordingBacking(values)
        backed.features = FeatureMatrix(backing: backing)
        XCTAssertEqual(backed, owned)
        XCTAssertEqual(backed.byteCount, owned.byteCount)
        XCTAssertEqual(owned.residentBytes, owned.byteCount)
        XCTAssertEqual(backed.residentBytes, owned.byteCount - values.count * 4)
        let picked = backed.selecting(rows: [3, 0, 3])
        XCTAssertTrue(picked.features.isView, "a selection of a backed dataset is a row-index view (RowViewTests)")
        XCTAssertEqual(picked, owned.selecting(rows: [3, 0, 3]))
        XCTAssertFalse(owned.selecting(rows: [3, 0, 3]).features.isBacked, "a selection of an owned dataset is a copy")
    }

    /// Training reads a backed matrix through the same pointer, in the same chunks: the model is
    /// the same bit for bit, and every row was released behind the passes.
    func testTrainingOnABackedMatrixIsBitIdenticalAndReleasesEveryRow() throws {
        let data = try TrainingFixtures.small(rows: 9_000, features: 6, classes: 3, seed: 11)
        let configs: [TrainingConfig] = [
            TrainingConfig(model: .softmax, optimizer: .lbfgs(tolerance: 1e-9, maxIterations: 30)),
            TrainingConfig(model: .softmax, optimizer: .adam(learningRate: 1e-2, epochs: 2, batchSize: 512), seed: 5),
        ]
        for config in configs {
            let backing = RecordingBacking(data.features.array)
            var backed = data
            backed.features = FeatureMatrix(backing: backing)
            let inMemory = try Trainer.train(config, on: data, threads: .fixed(3))
            let onBacking = try Trainer.train(config, on: backed, threads: .fixed(3))
            XCTAssertEqual(onBacking.model, inMemory.model, "\(config.optimizer)")
            XCTAssertEqual(onBacking.objective.bitPattern, inMemory.objective.bitPattern)
            XCTAssertEqual(onBacking.steps, inMemory.steps)
            XCTAssertTrue(backing.releasedEverything, "\(config.optimizer)")

            let probabilityBacking = RecordingBacking(data.features.array)
            backed.features = FeatureMatrix(backing: probabilityBacking)
            XCTAssertEqual(try inMemory.model.probabilities(backed), try inMemory.model.probabilities(data))
            XCTAssertTrue(probabilityBacking.releasedEverything)
        }
    }
}
