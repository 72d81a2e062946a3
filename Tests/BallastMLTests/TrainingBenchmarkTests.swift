import XCTest
import Foundation
@testable import BallastML

/// Not a check: timings for the report, run with `BALLAST_BENCH=1` (see Reference/speed_reference.py
/// for the scikit-learn and numpy side). Optionally `BALLAST_SKLEARN_J` = scikit-learn's objective at
/// its optimum, to time how long we take to reach it.
final class TrainingBenchmarkTests: XCTestCase {
    func testBenchmarkWeightedLogisticOnFraudSplit() throws {
        let environment = ProcessInfo.processInfo.environment
        guard environment["BALLAST_BENCH"] == "1" else { return }
        let data = try TrainingFixtures.fraudTrain()
        let weights = try ClassWeights.compute(.balanced, classCounts: data.classCounts,
                                               classLabels: data.classLabels, positiveClass: data.positiveClass)
        let n = Double(data.rowCount)
        print("bench: \(data.rowCount) × \(data.featureCount), weights \(weights.weights)")
        for threads in [1, 2] {
            let config = TrainingConfig(model: .logistic, classWeights: weights.weights, l2: 1 / n, threads: threads)
            let objective = try Trainer.makeObjective(config, data: data, sampleWeights: nil)
            var theta = [Double](repeating: 0.01, count: objective.shape.parameterCount)
            theta[theta.count - 1] = -1
            var gradient = theta
            var times: [Double] = []
            for iteration in 0..<60 {
                let start = DispatchTime.now().uptimeNanoseconds
                _ = theta.withUnsafeBufferPointer { x in
                    gradient.withUnsafeMutableBufferPointer { g in
                        objective.evaluate(x, gradient: g, rows: .all(data.rowCount), scale: objective.lossScale)
                    }
                }
                if iteration >= 10 { times.append(Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-6) }
            }
            times.sort()
            print("bench: objective+gradient, threads \(threads): median \(times[times.count / 2]) ms, min \(times[0]) ms")
        }
        let target = environment["BALLAST_SKLEARN_J"].flatMap(Double.init)
        for tolerance in [1e-4, 1e-6, 1e-10] {
            for _ in 0..<2 {
                let reached = ReachedBox()
                let observer = TrainingObserver(onStep: { step, _ in
                    if let target, step.objective <= target { reached.mark(step.elapsedSeconds) }
                    return nil
                })
                let config = TrainingConfig(model: .logistic,
                                            optimizer: .lbfgs(tolerance: tolerance, maxIterations: 1000, memory: 10),
                                            classWeights: weights.weights, l2: 1 / n)
                let start = DispatchTime.now().uptimeNanoseconds
                let outcome = try Trainer.train(config, on: data, observer: observer)
                let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
                print("bench: lbfgs tolerance \(tolerance): \(seconds) s, \(outcome.steps) iterations, \(outcome.stopReason), J \(outcome.objective)"
                      + (target.map { " (sklearn \($0)); reached sklearn's J after \(reached.seconds.map { "\($0) s" } ?? "never")" } ?? ""))
            }
        }
    }
}

private final class ReachedBox: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Double?
    func mark(_ seconds: Double) { lock.lock(); if value == nil { value = seconds }; lock.unlock() }
    var seconds: Double? { lock.lock(); defer { lock.unlock() }; return value }
}
