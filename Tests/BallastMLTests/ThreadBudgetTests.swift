import XCTest
import Synchronization
@testable import BallastML

/// A thread count that changes while a training runs (as a shared budget's does when other jobs
/// start and end) changes nothing in the result, and is asked once per pass over the data.
final class ThreadBudgetTests: XCTestCase {
    /// Answers 1, 4, 2, 3, 5, 8, 1, … in turn and counts the questions.
    final class ChangingCount: Sendable {
        static let cycle = [1, 4, 2, 3, 5, 8]
        private let asked = Atomic<Int>(0)

        var questions: Int { asked.load(ordering: .relaxed) }

        var budget: ThreadBudget {
            ThreadBudget { [self] in
                let question = asked.add(1, ordering: .relaxed).oldValue
                return Self.cycle[question % Self.cycle.count]
            }
        }
    }

    /// 20,000 rows: 5 chunks in a full pass, 2 in a mini-batch of 5,000, so every pass really
    /// splits its rows among the threads it is given.
    var data: Dataset { TrainingBehaviourTests.medium }

    func testChangingThreadCountGivesTheBitsOfAFixedOne() throws {
        let configs: [TrainingConfig] = [
            TrainingConfig(model: .logistic, classWeights: [0.5, 10], l2: 1e-4),
            TrainingConfig(model: .softmax, loss: .focal(gamma: 2, alpha: nil),
                           optimizer: .lbfgs(tolerance: 1e-8, maxIterations: 15, memory: 5), l2: 1e-4),
            TrainingConfig(model: .mlp(hidden: [8, 4]), loss: .focal(gamma: 1, alpha: 0.75),
                           optimizer: .adam(learningRate: 0.01, epochs: 2, batchSize: 5_000), l2: 1e-4, seed: 4),
            TrainingConfig(model: .mlp(hidden: [6]), optimizer: .sgd(learningRate: 0.05, epochs: 2, batchSize: 9_000, momentum: 0.9),
                           classWeights: [1, 5], seed: 4),
        ]
        for config in configs {
            let fixed = try Trainer.train(config, on: data, threads: .fixed(1), observer: .silent)
            let changing = ChangingCount()
            let varied = try Trainer.train(config, on: data, threads: changing.budget, observer: .silent)
            XCTAssertGreaterThan(changing.questions, Self.distinctCounts, "\(config.model): the count never changed")
            XCTAssertEqual(varied.model, fixed.model, "\(config.model)")
            XCTAssertEqual(varied.objective.bitPattern, fixed.objective.bitPattern, "\(config.model)")
            XCTAssertEqual(varied.history.map(\.objective.bitPattern), fixed.history.map(\.objective.bitPattern), "\(config.model)")
            XCTAssertEqual(varied.steps, fixed.steps, "\(config.model)")
        }
    }

    /// Adam, 2 epochs of 4 mini-batches: the start, then per epoch 4 batches and the epoch's full
    /// pass, is 11 passes and so 11 questions — not one per training, not one per chunk.
    func testTheCountIsAskedOncePerPass() throws {
        let config = TrainingConfig(model: .mlp(hidden: [4]),
                                    optimizer: .adam(learningRate: 0.01, epochs: 2, batchSize: 5_000), seed: 1)
        let changing = ChangingCount()
        _ = try Trainer.train(config, on: data, threads: changing.budget, observer: .silent)
        XCTAssertEqual(changing.questions, 1 + 2 * (4 + 1))
    }

    func testCountsBelowOneMeanOne() {
        XCTAssertEqual(ThreadBudget.fixed(0).current, 1)
        XCTAssertEqual(ThreadBudget.fixed(-3).current, 1)
        XCTAssertEqual(ThreadBudget.fixed(6).current, 6)
        XCTAssertGreaterThanOrEqual(ThreadBudget.allCores.current, 1)
    }

    static let distinctCounts = ChangingCount.cycle.count
}
