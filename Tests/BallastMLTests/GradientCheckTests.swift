import XCTest
@testable import BallastML

/// ∇J against central finite differences in Double, for every model × loss × reduction, with
/// l2 > 0, class weights and sample weights.
///
/// Tolerance: |analytic − numeric| ≤ 1e-6 · max(1, |analytic|), with h = 1e-5 · max(1, |θᵢ|).
/// Central differences err by O(h²·J''') ≈ 1e-10 plus rounding ε·|J|/h ≈ 1e-11·|J|, far inside.
final class GradientCheckTests: XCTestCase {
    static let tolerance = 1e-6

    func testGradientsOfEveryModelLossAndReduction() throws {
        let binary = try TrainingFixtures.small(rows: 80, features: 5, classes: 2, seed: 11)
        let multi = try TrainingFixtures.small(rows: 90, features: 4, classes: 3, seed: 12)
        let models: [(ModelKind, Dataset, [Double])] = [
            (.logistic, binary, [0.7, 2.5]),
            (.softmax, binary, [0.7, 2.5]),
            (.softmax, multi, [0.5, 1.5, 3]),
            (.mlp(hidden: [4]), binary, [0.7, 2.5]),
            (.mlp(hidden: [5, 3]), multi, [0.5, 1.5, 3]),
        ]
        var checked = 0
        for (model, data, weights) in models {
            let losses: [LossKind] = data.classCount == 2
                ? [.crossEntropy, .focal(gamma: 2, alpha: 0.25), .focal(gamma: 0.5, alpha: nil), .focal(gamma: 0, alpha: 0.8)]
                : [.crossEntropy, .focal(gamma: 2, alpha: nil), .focal(gamma: 0.5, alpha: nil)]
            for loss in losses {
                for reduction in [Reduction.mean, .sum] {
                    for withSampleWeights in [false, true] {
                        let sampleWeights = withSampleWeights
                            ? (0..<data.rowCount).map { 0.25 + Double(($0 * 7) % 10) / 5 } : nil
                        let config = TrainingConfig(model: model, loss: loss, classWeights: weights,
                                                    l2: 0.03, reduction: reduction, seed: 5)
                        try check(config, data: data, sampleWeights: sampleWeights,
                                  label: "\(model) \(loss) \(reduction) sampleWeights=\(withSampleWeights)")
                        checked += 1
                    }
                }
            }
        }
        XCTAssertEqual(checked, 72)
    }

    /// Focal loss with γ = 0 and no α is cross-entropy: same J and gradient, bit for bit.
    func testFocalWithGammaZeroIsCrossEntropy() throws {
        for (model, data) in [(ModelKind.logistic, try TrainingFixtures.small()),
                              (.softmax, try TrainingFixtures.small(classes: 3)),
                              (.mlp(hidden: [3]), try TrainingFixtures.small())] {
            let ce = TrainingConfig(model: model, loss: .crossEntropy, classWeights: nil, l2: 0.01)
            var focal = ce
            focal.loss = .focal(gamma: 0, alpha: nil)
            let a = try evaluate(ce, data: data, theta: randomTheta(ce, data: data))
            let b = try evaluate(focal, data: data, theta: randomTheta(ce, data: data))
            XCTAssertEqual(a.0, b.0, "\(model)")
            XCTAssertEqual(a.1, b.1, "\(model)")
            // And training gives the same model.
            let trainedCE = try Trainer.train(ce, on: data, observer: .silent)
            let trainedFocal = try Trainer.train(focal, on: data, observer: .silent)
            XCTAssertEqual(trainedCE.model, trainedFocal.model, "\(model)")
        }
    }

    /// Binary focal α is a factor α on positive rows and 1 − α on negative rows: with `.sum`
    /// reduction, focal(γ, α) equals focal(γ, nil) with class weights [1 − α, α].
    func testFocalAlphaWeighsPositiveAndNegativeRows() throws {
        let data = try TrainingFixtures.small()
        XCTAssertEqual(data.positiveClass, 1)
        let withAlpha = TrainingConfig(model: .logistic, loss: .focal(gamma: 2, alpha: 0.3), l2: 0.01, reduction: .sum)
        let asWeights = TrainingConfig(model: .logistic, loss: .focal(gamma: 2, alpha: nil), classWeights: [0.7, 0.3],
                                       l2: 0.01, reduction: .sum)
        let theta = try randomTheta(withAlpha, data: data)
        let a = try evaluate(withAlpha, data: data, theta: theta)
        let b = try evaluate(asWeights, data: data, theta: theta)
        XCTAssertEqual(a.0, b.0, accuracy: 1e-12 * abs(b.0))
        for (x, y) in zip(a.1, b.1) { XCTAssertEqual(x, y, accuracy: 1e-12 * max(1, abs(y))) }
    }

    /// A hand-computed value: logistic at θ = 0 has p = 1/2 for every row, so CE = log 2 and focal
    /// (γ = 2) = (1/2)²·log 2, whatever the weights (mean reduction, l2 has nothing to add at 0).
    func testObjectiveAtZeroIsLogTwo() throws {
        let data = try TrainingFixtures.small()
        let zero = [Double](repeating: 0, count: data.featureCount + 1)
        let ce = try evaluate(TrainingConfig(model: .logistic, classWeights: [0.2, 5]), data: data, theta: zero)
        XCTAssertEqual(ce.0, Double.log(2), accuracy: 1e-14)
        let focal = try evaluate(TrainingConfig(model: .logistic, loss: .focal(gamma: 2, alpha: nil)), data: data, theta: zero)
        XCTAssertEqual(focal.0, 0.25 * Double.log(2), accuracy: 1e-14)
        let sum = try evaluate(TrainingConfig(model: .logistic, classWeights: [0.2, 5], reduction: .sum), data: data, theta: zero)
        let weightSum = Double(data.classCounts[0]) * 0.2 + Double(data.classCounts[1]) * 5
        XCTAssertEqual(sum.0, weightSum * Double.log(2), accuracy: 1e-12 * sum.0)
    }

    /// Extreme logits do not overflow: J and ∇J stay finite where a naive log(σ(z)) gives −∞.
    func testStableAtExtremeLogits() throws {
        let data = try TrainingFixtures.small()
        for loss in [LossKind.crossEntropy, .focal(gamma: 2, alpha: 0.25), .focal(gamma: 0.5, alpha: nil)] {
            for model in [ModelKind.logistic, .softmax] {
                let config = TrainingConfig(model: model, loss: loss, l2: 0)
                let theta = try randomTheta(config, data: data).map { $0 * 2_000 }
                let (value, gradient) = try evaluate(config, data: data, theta: theta)
                XCTAssertTrue(value.isFinite && value > 10, "\(model) \(loss): \(value)")
                XCTAssertTrue(gradient.allSatisfy(\.isFinite), "\(model) \(loss)")
            }
        }
    }

    // MARK: - Helpers

    func randomTheta(_ config: TrainingConfig, data: Dataset) throws -> [Double] {
        let objective = try Trainer.makeObjective(config, data: data, sampleWeights: nil)
        var generator = SeededGenerator(seed: 99)
        return (0..<objective.shape.parameterCount).map { _ in (2 * generator.nextUnit() - 1) * 0.8 }
    }

    func evaluate(_ config: TrainingConfig, data: Dataset, theta: [Double],
                  sampleWeights: [Double]? = nil) throws -> (Double, [Double]) {
        let objective = try Trainer.makeObjective(config, data: data, sampleWeights: sampleWeights)
        var gradient = [Double](repeating: 0, count: theta.count)
        let value = theta.withUnsafeBufferPointer { x in
            gradient.withUnsafeMutableBufferPointer { g in
                objective.evaluate(x, gradient: g, rows: .all(data.rowCount), scale: objective.lossScale)
            }
        }
        return (value, gradient)
    }

    func check(_ config: TrainingConfig, data: Dataset, sampleWeights: [Double]?, label: String) throws {
        let theta = try randomTheta(config, data: data)
        let (value, gradient) = try evaluate(config, data: data, theta: theta, sampleWeights: sampleWeights)
        XCTAssertTrue(value.isFinite, label)
        // J(θ) agrees with the public objective of the (float32-rounded) model only up to rounding;
        // the gradient check itself runs on Double θ.
        var worst = 0.0
        for i in 0..<theta.count {
            let h = 1e-5 * max(1, abs(theta[i]))
            var plus = theta, minus = theta
            plus[i] += h
            minus[i] -= h
            let numeric = (try evaluate(config, data: data, theta: plus, sampleWeights: sampleWeights).0
                - evaluate(config, data: data, theta: minus, sampleWeights: sampleWeights).0) / (2 * h)
            let error = abs(numeric - gradient[i]) / max(1, abs(gradient[i]))
            worst = max(worst, error)
            XCTAssertLessThanOrEqual(error, Self.tolerance, "\(label) θ[\(i)]: analytic \(gradient[i]) numeric \(numeric)")
        }
        XCTAssertGreaterThan(gradient.map(abs).max() ?? 0, 1e-3, "\(label): a trivial gradient checks nothing")
    }
}
