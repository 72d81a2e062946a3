import XCTest
@testable import BallastML

/// Logistic and softmax models fitted by L-BFGS against scikit-learn 1.9.1's
/// `LogisticRegression(solver="lbfgs", tol=1e-10, max_iter=10000, C=1/(l2·Σs), class_weight=…)`
/// on the same data (see Reference/sklearn_parity_reference.py and SklearnParityFixtures.swift).
final class SklearnParityTests: XCTestCase {
    /// Relative agreement demanded of every coefficient and intercept.
    static let tolerance = 1e-5

    func testLogisticCrossEntropyMatchesScikitLearn() throws { try check("binary_ce") }
    func testLogisticBalancedWeightsMatchScikitLearn() throws { try check("binary_balanced") }
    func testLogisticSeedInverseWeightsMatchScikitLearn() throws { try check("binary_inverse") }
    func testSoftmaxCrossEntropyMatchesScikitLearnMultinomial() throws { try check("multiclass_ce") }
    func testSoftmaxBalancedWeightsMatchScikitLearnMultinomial() throws { try check("multiclass_balanced") }
    func testSoftmaxInverseWeightsMatchScikitLearnMultinomial() throws { try check("multiclass_inverse") }

    /// The weights in the fixtures are the ones `ClassWeights` computes (so the fixtures test the seed method).
    func testFixtureWeightsAreBallastClassWeights() throws {
        for dataset in ["binary", "multiclass"] {
            let data = try dataset == "binary" ? TrainingFixtures.binary() : TrainingFixtures.multiclass()
            for (name, scheme) in [("balanced", WeightScheme.balanced), ("inverse", .inverse)] {
                let ours = try ClassWeights.compute(scheme, classCounts: data.classCounts,
                                                    classLabels: data.classLabels, positiveClass: data.positiveClass)
                let fixture = SklearnParityFixtures.cases.first { $0.name == "\(dataset)_\(name)" }!
                for (a, b) in zip(ours.weights, fixture.classWeights) { XCTAssertEqual(a, b, accuracy: 1e-15 * b) }
            }
        }
    }

    /// Largest relative difference, each coefficient measured against max(|reference|, 1e-3·max|reference|)
    /// so a coefficient that is nearly 0 is not held to a relative standard it cannot meet.
    static func maxRelativeDifference(_ ours: [Double], _ reference: [Double]) -> Double {
        let scale = reference.map(abs).max() ?? 1
        return zip(ours, reference).map { abs($0 - $1) / max(abs($1), 1e-3 * scale) }.max() ?? 0
    }

    func check(_ name: String) throws {
        let fixture = try XCTUnwrap(SklearnParityFixtures.cases.first { $0.name == name })
        let data = try fixture.dataset == "binary" ? TrainingFixtures.binary() : TrainingFixtures.multiclass()
        XCTAssertEqual(data.positiveClass ?? 1, 1, "scikit-learn models P(class 1)")
        let config = TrainingConfig(model: fixture.dataset == "binary" ? .logistic : .softmax,
                                    optimizer: .lbfgs(tolerance: 1e-10, maxIterations: 10_000, memory: 10),
                                    classWeights: fixture.weights == nil ? nil : fixture.classWeights,
                                    l2: fixture.l2)
        let outcome = try Trainer.train(config, on: data, observer: .silent)
        XCTAssertEqual(outcome.stopReason, .converged)
        let layer = outcome.model.layers[0]
        let coefficients = layer.weights.map(Double.init)
        var intercepts = layer.bias.map(Double.init)
        if intercepts.count > 1 {
            // Multinomial intercepts are determined up to a common shift; scikit-learn's sum to 0.
            let mean = intercepts.reduce(0, +) / Double(intercepts.count)
            intercepts = intercepts.map { $0 - mean }
        }
        let coefficientDifference = Self.maxRelativeDifference(coefficients, fixture.coefficients)
        let interceptDifference = Self.maxRelativeDifference(intercepts, fixture.intercepts)
        XCTAssertLessThanOrEqual(coefficientDifference, Self.tolerance, name)
        XCTAssertLessThanOrEqual(interceptDifference, Self.tolerance, name)
        // Same optimum, so the same objective (ours evaluated on the float32-rounded model).
        XCTAssertEqual(outcome.objective, fixture.objective, accuracy: 1e-9 * fixture.objective, name)
        let rounded = Trainer.objective(config, model: outcome.model, on: data)
        XCTAssertEqual(rounded, fixture.objective, accuracy: 1e-6 * fixture.objective, name)
    }
}
