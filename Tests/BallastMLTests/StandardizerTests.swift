import XCTest
@testable import BallastML

final class StandardizerTests: XCTestCase {
    func testFitGivesZeroMeanUnitStdOnFitData() throws {
        let spec = SyntheticSpec(rows: 5_000, features: 4, informative: 2, classProportions: [0.9, 0.1],
                                 separation: 2, seed: 3)
        var data = try SyntheticData.generate(spec)
        // Shift and stretch the columns so the test is not trivially near 0 / 1.
        for row in 0..<data.rowCount {
            data.features[row * 4] = data.features[row * 4] * 1_000 + 50_000
            data.features[row * 4 + 3] = data.features[row * 4 + 3] * 0.01 - 7
        }
        let scaler = Standardizer.fit(data)
        XCTAssertEqual(scaler.mean[0], 50_000, accuracy: 100)
        XCTAssertEqual(scaler.scale[0], 1_000, accuracy: 50)
        let scaled = try scaler.apply(data)
        for j in 0..<4 {
            let column = (0..<scaled.rowCount).map { Double(scaled.features[$0 * 4 + j]) }
            let mean = column.reduce(0, +) / Double(column.count)
            let variance = column.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(column.count)
            XCTAssertEqual(mean, 0, accuracy: 1e-5, "column \(j)")
            XCTAssertEqual(variance.squareRoot(), 1, accuracy: 1e-5, "column \(j)")
        }
        XCTAssertEqual(scaled.classIndex, data.classIndex)
    }

    /// Values scikit-learn's StandardScaler gives: ddof = 0, a constant column gets scale 1.
    func testSmallExampleAndConstantFeature() throws {
        let train = Dataset(featureNames: ["a", "b"], features: [1, 0.1, 2, 0.1, 4, 0.1, 5, 0.1],
                            classIndex: [0, 0, 1, 1], classLabels: ["n", "y"], positiveClass: 1)
        let scaler = Standardizer.fit(train)
        XCTAssertEqual(scaler.mean[0], 3, accuracy: 1e-12)
        XCTAssertEqual(scaler.scale[0], 2.5.squareRoot(), accuracy: 1e-12)  // var = (4+1+1+4)/4
        XCTAssertEqual(scaler.mean[1], Double(Float(0.1)), accuracy: 1e-12)
        XCTAssertEqual(scaler.scale[1], 1)
        // Train statistics applied to other rows.
        let test = Dataset(featureNames: ["a", "b"], features: [3, 0.1, 8, 1.1], classIndex: [0, 1],
                           classLabels: ["n", "y"], positiveClass: 1)
        let scaled = try scaler.apply(test)
        XCTAssertEqual(scaled.features[0], 0)
        XCTAssertEqual(Double(scaled.features[1]), 0, accuracy: 1e-7)
        XCTAssertEqual(Double(scaled.features[2]), 5 / 2.5.squareRoot(), accuracy: 1e-6)
        XCTAssertEqual(Double(scaled.features[3]), 1, accuracy: 1e-6)
    }

    func testFeatureCountMismatchIsAnError() {
        let scaler = Standardizer(mean: [0, 0, 0], scale: [1, 1, 1])
        let data = Dataset(featureNames: ["a", "b"], features: [1, 2], classIndex: [0], classLabels: ["0", "1"], positiveClass: 1)
        XCTAssertThrowsError(try scaler.apply(data)) {
            XCTAssertEqual(($0 as? InvalidArgument)?.field, .dataset)
        }
    }

    func testEmptyDataFitsToIdentity() {
        let empty = Dataset(featureNames: ["a"], features: [], classIndex: [], classLabels: ["0", "1"], positiveClass: 1)
        XCTAssertEqual(Standardizer.fit(empty), Standardizer(mean: [0], scale: [1]))
    }
}
