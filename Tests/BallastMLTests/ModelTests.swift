import XCTest
import Foundation
@testable import BallastML

/// `TrainedModel`: probabilities, the logistic convenience accessors, Codable.
final class ModelTests: XCTestCase {
    func testProbabilityRowsSumToOneForEveryModel() throws {
        let binary = try TrainingFixtures.small()
        let multi = try TrainingFixtures.small(classes: 3)
        for (model, data) in [(ModelKind.logistic, binary), (.softmax, binary), (.softmax, multi),
                              (.mlp(hidden: [4]), binary), (.mlp(hidden: [4, 3]), multi)] {
            let outcome = try Trainer.train(TrainingConfig(model: model, optimizer: .lbfgs(tolerance: 1e-6, maxIterations: 50, memory: 10)),
                                            on: data, observer: .silent)
            let p = try outcome.model.probabilities(data)
            XCTAssertEqual(p.count, data.rowCount * data.classCount)
            for row in 0..<data.rowCount {
                let slice = p[(row * data.classCount)..<((row + 1) * data.classCount)]
                XCTAssertEqual(Double(slice.reduce(0, +)), 1, accuracy: 1e-6, "\(model)")
                XCTAssertTrue(slice.allSatisfy { $0 >= 0 && $0 <= 1 })
            }
            // Rows given one by one agree with the dataset path.
            let rows = (0..<3).map { Array(data.features[($0 * data.featureCount)..<(($0 + 1) * data.featureCount)]) }
            XCTAssertEqual(try outcome.model.probabilities(rows: rows), Array(p[0..<(3 * data.classCount)]))
        }
    }

    func testLogisticProbabilityIsSigmoidOfCoefficients() throws {
        let data = try TrainingFixtures.small()
        let model = try Trainer.train(TrainingConfig(model: .logistic), on: data, observer: .silent).model
        let w = try XCTUnwrap(model.coefficients)
        let b = try XCTUnwrap(model.intercept)
        XCTAssertEqual(model.positiveClass, 1)
        let p = try model.probabilities(data)
        for row in 0..<10 {
            var z = Double(b)
            for j in 0..<data.featureCount { z += Double(w[j]) * Double(data.features[row * data.featureCount + j]) }
            XCTAssertEqual(Double(p[row * 2 + 1]), 1 / (1 + exp(-z)), accuracy: 1e-6)
            XCTAssertEqual(Double(p[row * 2]), 1 / (1 + exp(z)), accuracy: 1e-6)
        }
        XCTAssertNil(try Trainer.train(TrainingConfig(model: .softmax), on: data, observer: .silent).model.coefficients)
    }

    func testPositiveClassZeroPutsItsProbabilityFirst() throws {
        var data = try TrainingFixtures.small()
        let flipped = try Trainer.train(TrainingConfig(model: .logistic), on: { data.positiveClass = 0; return data }(),
                                        observer: .silent).model
        data.positiveClass = 1
        let normal = try Trainer.train(TrainingConfig(model: .logistic), on: data, observer: .silent).model
        XCTAssertEqual(flipped.positiveClass, 0)
        let a = try flipped.probabilities(data), b = try normal.probabilities(data)
        for i in 0..<a.count { XCTAssertEqual(a[i], b[i], accuracy: 1e-5) }
        for (x, y) in zip(flipped.coefficients!, normal.coefficients!) { XCTAssertEqual(x, -y, accuracy: 1e-5) }
    }

    func testFeatureCountMismatchIsAnInvalidArgument() throws {
        let data = try TrainingFixtures.small()
        let model = try Trainer.train(TrainingConfig(model: .logistic), on: data, observer: .silent).model
        let other = try TrainingFixtures.small(features: 4)
        XCTAssertThrowsError(try model.probabilities(other)) { error in
            XCTAssertEqual((error as? InvalidArgument)?.field, .dataset)
        }
        XCTAssertThrowsError(try model.probabilities(rows: [[1, 2]])) { error in
            XCTAssertEqual((error as? InvalidArgument)?.field, .featureRows)
        }
    }
}
