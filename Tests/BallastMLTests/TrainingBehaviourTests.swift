import XCTest
import Foundation
@testable import BallastML

/// Determinism, cancellation, early stopping, divergence and argument errors.
final class TrainingBehaviourTests: XCTestCase {
    /// Big enough for several chunks (4,096 rows each), so threads really split the work.
    static let medium: Dataset = {
        let raw = try! SyntheticData.generate(SyntheticSpec(rows: 20_000, features: 6, informative: 3,
                                                             classProportions: [0.95, 0.05], separation: 2, seed: 21))
        return try! Standardizer.fit(raw).apply(raw)
    }()

    func testSameSeedSameBitsWhateverTheThreadCount() throws {
        let data = Self.medium
        let configs: [TrainingConfig] = [
            TrainingConfig(model: .logistic, classWeights: [0.5, 10], l2: 1e-4),
            TrainingConfig(model: .softmax, loss: .focal(gamma: 2, alpha: nil), l2: 1e-4),
            TrainingConfig(model: .mlp(hidden: [8, 4]), loss: .focal(gamma: 1, alpha: 0.75),
                           optimizer: .adam(learningRate: 0.01, epochs: 2, batchSize: 5_000), l2: 1e-4, seed: 4),
            TrainingConfig(model: .mlp(hidden: [6]), optimizer: .sgd(learningRate: 0.05, epochs: 2, batchSize: 9_000, momentum: 0.9),
                           classWeights: [1, 5], seed: 4),
        ]
        for config in configs {
            var results: [TrainingOutcome] = []
            for threads in [ThreadBudget.fixed(1), .fixed(2), .allCores, .fixed(2)] {
                results.append(try Trainer.train(config, on: data, threads: threads, observer: .silent))
            }
            for other in results.dropFirst() {
                XCTAssertEqual(other.model, results[0].model, "\(config.model)")
                XCTAssertEqual(other.objective.bitPattern, results[0].objective.bitPattern, "\(config.model)")
                XCTAssertEqual(other.history.map(\.objective), results[0].history.map(\.objective), "\(config.model)")
            }
        }
    }

    func testSeedChangesTheMLPButNotLinearModels() throws {
        let data = try TrainingFixtures.small()
        var config = TrainingConfig(model: .mlp(hidden: [4]), optimizer: .adam(learningRate: 0.01, epochs: 3, batchSize: 32), seed: 1)
        let a = try Trainer.train(config, on: data, observer: .silent)
        config.seed = 2
        let b = try Trainer.train(config, on: data, observer: .silent)
        XCTAssertNotEqual(a.model.layers, b.model.layers)
        config = TrainingConfig(model: .logistic, seed: 1)
        let c = try Trainer.train(config, on: data, observer: .silent)
        config.seed = 2
        XCTAssertEqual(c.model, try Trainer.train(config, on: data, observer: .silent).model)
    }

    func testLBFGSCancelledAfterThreeIterations() throws {
        let data = Self.medium
        let steps = Counter()
        let observer = TrainingObserver(onStep: { _, _ in steps.increment(); return nil },
                                        isCancelled: { steps.value >= 3 })
        let config = TrainingConfig(model: .logistic, optimizer: .lbfgs(tolerance: 1e-12, maxIterations: 500, memory: 10),
                                    classWeights: [0.5, 10], l2: 1e-5)
        let outcome = try Trainer.train(config, on: data, observer: observer)
        XCTAssertEqual(outcome.stopReason, .cancelled)
        XCTAssertEqual(outcome.steps, 3)
        XCTAssertEqual(outcome.history.map(\.step), [1, 2, 3])
        XCTAssertEqual(outcome.objective, outcome.history[2].objective)
        XCTAssertTrue(outcome.model.layers[0].weights.allSatisfy(\.isFinite))
        // The objective fell at every step.
        XCTAssertLessThan(outcome.history[2].objective, outcome.history[0].objective)
    }

    func testMiniBatchCancelledMidEpoch() throws {
        let data = try TrainingFixtures.small(rows: 1_000)
        let steps = Counter(), pollsAfterFirstStep = Counter()
        // Cancelled at the fifth question after epoch 1 ended: during the second epoch.
        let observer = TrainingObserver(onStep: { _, _ in steps.increment(); return nil }, isCancelled: {
            guard steps.value >= 1 else { return false }
            pollsAfterFirstStep.increment()
            return pollsAfterFirstStep.value >= 5
        })
        let config = TrainingConfig(model: .mlp(hidden: [4]), optimizer: .sgd(learningRate: 0.05, epochs: 5, batchSize: 100, momentum: 0.5))
        let outcome = try Trainer.train(config, on: data, observer: observer)
        XCTAssertEqual(outcome.stopReason, .cancelled)
        XCTAssertEqual(outcome.steps, 1, "10 batches per epoch: cancelled during the second epoch")
        XCTAssertEqual(outcome.history.count, 1)
        XCTAssertEqual(outcome.objective, outcome.history[0].objective, "J after the last whole step")
    }

    /// One mini-batch that is the whole data set, one epoch (or one L-BFGS iteration): the only
    /// questions between steps come before the step, and a cancel during the passes must still stop it.
    func testCancelledInsideTheOnlyLongPassOfAnEpoch() throws {
        let data = Self.medium
        for optimizer in [OptimizerKind.adam(learningRate: 0.01, epochs: 1, batchSize: data.rowCount),
                          .lbfgs(tolerance: 1e-12, maxIterations: 1, memory: 5)] {
            let polls = Counter()
            let observer = TrainingObserver(isCancelled: { polls.increment(); return polls.value > 3 })
            let config = TrainingConfig(model: .mlp(hidden: [16]), optimizer: optimizer)
            let outcome = try Trainer.train(config, on: data, observer: observer)
            XCTAssertEqual(outcome.stopReason, .cancelled, "\(optimizer)")
            XCTAssertEqual(outcome.steps, 0, "\(optimizer)")
            XCTAssertTrue(outcome.objective.isNaN, "cancelled before any pass ended: no J to report (\(optimizer))")
        }
    }

    /// Asking the question inside every pass changes nothing when the answer stays no.
    func testAnObserverThatNeverCancelsLeavesTheResultBitIdentical() throws {
        let data = Self.medium
        let polls = Counter()
        let asking = TrainingObserver(isCancelled: { polls.increment(); return false })
        for config in [TrainingConfig(model: .mlp(hidden: [8, 4]), optimizer: .adam(learningRate: 0.01, epochs: 2, batchSize: 5_000)),
                       TrainingConfig(model: .logistic, classWeights: [0.5, 10], l2: 1e-4)] {
            let silent = try Trainer.train(config, on: data, observer: .silent)
            let asked = try Trainer.train(config, on: data, observer: asking)
            XCTAssertEqual(silent.model, asked.model)
            XCTAssertEqual(silent.objective, asked.objective)
            XCTAssertEqual(silent.history.map(\.objective), asked.history.map(\.objective))
        }
        XCTAssertGreaterThan(polls.value, 100, "the passes asked")
    }

    func testEarlyStoppingReturnsTheBestModelAfterPatience() throws {
        let data = try TrainingFixtures.small()
        let scores = [0.1, 0.5, 0.4, 0.45, 0.5, 0.3, 0.9]
        let seen = ModelLog()
        let observer = TrainingObserver(onStep: { step, model in
            seen.append(model)
            return scores[step.step - 1]
        })
        let config = TrainingConfig(model: .mlp(hidden: [3]), optimizer: .adam(learningRate: 0.01, epochs: 50, batchSize: 64),
                                    earlyStopping: EarlyStopping(patience: 3, minDelta: 0.01))
        let outcome = try Trainer.train(config, on: data, observer: observer)
        XCTAssertEqual(outcome.stopReason, .earlyStopping)
        XCTAssertEqual(outcome.steps, 5, "steps 3, 4, 5 do not beat 0.5 by 0.01")
        XCTAssertEqual(seen.models.count, 5)
        XCTAssertEqual(outcome.model, seen.models[1], "the model of step 2 (score 0.5)")
        XCTAssertNotEqual(outcome.model, seen.models[4])
        XCTAssertEqual(outcome.objective, Trainer.objective(config, model: outcome.model, on: data), accuracy: 1e-6)
    }

    func testEarlyStoppingWithLBFGS() throws {
        let data = Self.medium
        let observer = TrainingObserver(onStep: { step, _ in step.step == 1 ? 1 : 0 })
        let config = TrainingConfig(model: .logistic, optimizer: .lbfgs(tolerance: 1e-12, maxIterations: 100, memory: 5),
                                    earlyStopping: EarlyStopping(patience: 2))
        let outcome = try Trainer.train(config, on: data, observer: observer)
        XCTAssertEqual(outcome.stopReason, .earlyStopping)
        XCTAssertEqual(outcome.steps, 3)
        XCTAssertEqual(outcome.objective, outcome.history[0].objective, accuracy: 1e-6 * outcome.history[0].objective)
    }

    func testHugeLearningRateDiverges() throws {
        let data = try TrainingFixtures.small()
        for config in [
            TrainingConfig(model: .mlp(hidden: [8, 8]), optimizer: .sgd(learningRate: 1e6, epochs: 20, batchSize: 16, momentum: 0.9)),
            TrainingConfig(model: .logistic, optimizer: .sgd(learningRate: 1e8, epochs: 20, batchSize: 16, momentum: 0.9)),
        ] {
            XCTAssertThrowsError(try Trainer.train(config, on: data, observer: .silent)) { error in
                guard let error = error as? TrainingError else { return XCTFail("\(error)") }
                XCTAssertEqual(error.kind, .diverged)
                XCTAssertTrue(error.message.contains("learning rate"), error.message)
                XCTAssertTrue(error.message.contains("epoch"), error.message)
            }
        }
    }

    func testATrainingThatEndsWorseThanItStartedIsDivergedThoughItsLossIsFinite() throws {
        let data = try TrainingFixtures.small()
        // Large enough steps to overshoot, too small to overflow: the loss stays finite but ends
        // far above log 2, where the untrained logistic model starts.
        let config = TrainingConfig(model: .logistic, optimizer: .sgd(learningRate: 200, epochs: 3, batchSize: 300, momentum: 0.9))
        let start = try TrainingFixtures.startingObjective(config, on: data)
        XCTAssertThrowsError(try Trainer.train(config, on: data, observer: .silent)) { error in
            guard let error = error as? TrainingError else { return XCTFail("\(error)") }
            XCTAssertEqual(error.kind, .diverged)
            XCTAssertTrue(error.message.contains("above the \(start) it started from"), error.message)
        }
        // The same optimizer with a sensible step trains, and ends below where it started.
        let sane = TrainingConfig(model: .logistic, optimizer: .sgd(learningRate: 0.05, epochs: 3, batchSize: 32, momentum: 0.9))
        XCTAssertLessThan(try Trainer.train(sane, on: data, observer: .silent).objective, start)
    }

    func testNonFiniteFeaturesAreReported() throws {
        var data = try TrainingFixtures.small()
        data.features[7] = .nan
        XCTAssertThrowsError(try Trainer.train(TrainingConfig(), on: data, observer: .silent)) { error in
            XCTAssertEqual((error as? TrainingError)?.kind, .invalidArgument)
            XCTAssertEqual((error as? TrainingError)?.field, .dataset)
        }
    }

    func testArgumentErrorsNameTheField() throws {
        let binary = try TrainingFixtures.small()
        let multi = try TrainingFixtures.small(classes: 3)
        let base = TrainingConfig()
        func with(_ change: (inout TrainingConfig) -> Void) -> TrainingConfig { var c = base; change(&c); return c }
        let cases: [(TrainingConfig, Dataset, InputField)] = [
            (base, multi, .model),
            (with { $0.model = .mlp(hidden: [4, 0]) }, binary, .hiddenLayers),
            (with { $0.model = .mlp(hidden: []) }, binary, .hiddenLayers),
            (with { $0.optimizer = .adam(learningRate: 0) }, binary, .learningRate),
            (with { $0.optimizer = .sgd(learningRate: -1) }, binary, .learningRate),
            (with { $0.optimizer = .adam(batchSize: 0) }, binary, .batchSize),
            (with { $0.optimizer = .sgd(epochs: 0) }, binary, .epochs),
            (with { $0.optimizer = .sgd(momentum: 1) }, binary, .momentum),
            (with { $0.optimizer = .adam(beta1: 1) }, binary, .adamBeta1),
            (with { $0.optimizer = .lbfgs(maxIterations: 0) }, binary, .maxIterations),
            (with { $0.optimizer = .lbfgs(memory: 0) }, binary, .lbfgsMemory),
            (with { $0.classWeights = [1] }, binary, .classWeights),
            (with { $0.classWeights = [1, 0] }, binary, .classWeights),
            (with { $0.classWeights = [1, .infinity] }, binary, .classWeights),
            (with { $0.l2 = -1 }, binary, .l2),
            (with { $0.loss = .focal(gamma: -1, alpha: nil) }, binary, .focalGamma),
            (with { $0.loss = .focal(gamma: 2, alpha: 1) }, binary, .focalAlpha),
            (with { $0.loss = .focal(gamma: 2, alpha: 0) }, binary, .focalAlpha),
            (with { $0.model = .softmax; $0.loss = .focal(gamma: 2, alpha: 0.5) }, multi, .focalAlpha),
            (with { $0.earlyStopping = EarlyStopping(patience: 0) }, binary, .patience),
        ]
        for (config, data, field) in cases {
            XCTAssertThrowsError(try Trainer.train(config, on: data, observer: .silent), "\(field)") { error in
                guard let error = error as? TrainingError else { return XCTFail("\(error)") }
                XCTAssertEqual(error.kind, .invalidArgument, "\(field)")
                XCTAssertEqual(error.field, field, error.message)
                XCTAssertTrue(error.message.hasSuffix("."), error.message)
            }
        }
        XCTAssertThrowsError(try Trainer.train(base, on: binary, sampleWeights: [1, 2], observer: .silent)) { error in
            XCTAssertEqual((error as? TrainingError)?.field, .sampleWeights)
        }
    }

    func testMiniBatchOptimizersLowerTheObjective() throws {
        let data = try TrainingFixtures.small(rows: 2_000)
        for optimizer in [OptimizerKind.adam(learningRate: 0.01, epochs: 10, batchSize: 64),
                          .sgd(learningRate: 0.05, epochs: 10, batchSize: 64, momentum: 0.9)] {
            for model in [ModelKind.logistic, .softmax, .mlp(hidden: [8])] {
                let config = TrainingConfig(model: model, optimizer: optimizer, classWeights: [0.6, 2.5], l2: 1e-4)
                let outcome = try Trainer.train(config, on: data, observer: .silent)
                XCTAssertEqual(outcome.stopReason, .epochs)
                XCTAssertEqual(outcome.steps, 10)
                XCTAssertNil(outcome.history[0].gradientNorm)
                let best = try Trainer.train(TrainingConfig(model: .logistic, classWeights: [0.6, 2.5], l2: 1e-4),
                                             on: data, observer: .silent).objective
                // Within 5 % of the L-BFGS optimum of the linear model (the MLP may go below it).
                XCTAssertLessThan(outcome.objective, best * 1.05, "\(model) \(optimizer)")
                XCTAssertLessThan(outcome.history.last!.objective, log(2.0))
            }
        }
    }

    func testWeightedCrossEntropyFindsMoreOfTheRareClass() throws {
        // The seed method: on unbalanced data, plain CE favours the majority; WCE recovers the rare class.
        let data = Self.medium
        let plain = try Trainer.train(TrainingConfig(model: .logistic), on: data, observer: .silent)
        let weights = try ClassWeights.compute(.inverse, classCounts: data.classCounts,
                                               classLabels: data.classLabels, positiveClass: data.positiveClass)
        let weighted = try Trainer.train(TrainingConfig(model: .logistic, classWeights: weights.weights), on: data, observer: .silent)
        func recall(_ model: TrainedModel) throws -> Double {
            let p = try model.probabilities(data)
            var found = 0, positives = 0
            for row in 0..<data.rowCount where data.classIndex[row] == 1 {
                positives += 1
                if p[row * 2 + 1] >= 0.5 { found += 1 }
            }
            return Double(found) / Double(positives)
        }
        let plainRecall = try recall(plain.model), weightedRecall = try recall(weighted.model)
        XCTAssertGreaterThan(weightedRecall, plainRecall + 0.1, "plain \(plainRecall), weighted \(weightedRecall)")
    }
}

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func increment() { lock.lock(); count += 1; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return count }
}

final class ModelLog: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [TrainedModel] = []
    func append(_ model: TrainedModel) { lock.lock(); stored.append(model); lock.unlock() }
    var models: [TrainedModel] { lock.lock(); defer { lock.unlock() }; return stored }
}
