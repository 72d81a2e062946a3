#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One training run: the objective, the observer, early-stopping state and the history.
struct TrainingRun {
    let config: TrainingConfig
    let data: Dataset
    let objective: Objective
    let observer: TrainingObserver
    let start = ContinuousClock.now
    var history: [TrainingStep] = []
    var bestScore = -Double.infinity
    var bestTheta: [Double]?
    var sinceBest = 0

    init(config: TrainingConfig, data: Dataset, objective: Objective, observer: TrainingObserver) {
        self.config = config
        self.data = data
        self.objective = objective
        self.observer = observer
    }

    var elapsed: Double {
        let d = ContinuousClock.now - start
        return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }

    func model(_ theta: [Double]) -> TrainedModel {
        TrainedModel(kind: config.model, classLabels: data.classLabels, positiveClass: Trainer.positiveClass(of: data),
                     schema: data.schema, layers: objective.shape.layers(theta))
    }

    func fullObjective(_ theta: [Double], gradient: UnsafeMutableBufferPointer<Double>? = nil) -> Double {
        theta.withUnsafeBufferPointer {
            objective.evaluate($0, gradient: gradient, rows: .all(objective.rowCount), scale: objective.lossScale)
        }
    }

    /// Records a step, tells the observer and applies early stopping; true = stop now.
    mutating func record(step: Int, objective value: Double, gradientNorm: Double?, theta: [Double]) -> Bool {
        let entry = TrainingStep(step: step, objective: value, gradientNorm: gradientNorm, elapsedSeconds: elapsed)
        history.append(entry)
        let score = observer.onStep(entry, model(theta))
        guard let stopping = config.earlyStopping, let score, !score.isNaN else { return false }
        if bestTheta == nil || score > bestScore + stopping.minDelta {
            bestScore = score
            bestTheta = theta
            sinceBest = 0
            return false
        }
        sinceBest += 1
        return sinceBest >= stopping.patience
    }

    /// The outcome of a cancelled run: the model as it is, J after the last whole step (no new pass:
    /// it would stop at once).
    func cancelled(_ theta: [Double], steps: Int, initial: Double) -> TrainingOutcome {
        TrainingOutcome(model: model(theta), steps: steps, stopReason: .cancelled,
                        objective: history.last?.objective ?? initial, history: history)
    }

    func outcome(_ theta: [Double], steps: Int, reason: StopReason, objective value: Double? = nil) -> TrainingOutcome {
        var theta = theta
        var value = value
        if reason == .earlyStopping, let bestTheta {
            theta = bestTheta
            value = nil
        }
        return TrainingOutcome(model: model(theta), steps: steps, stopReason: reason,
                               objective: value ?? fullObjective(theta), history: history)
    }

    /// Why J is not finite at the start: bad feature values, or (rarely) an overflow.
    func startFailure(_ value: Double) -> TrainingError {
        if let bad = data.features.firstIndex(where: { !$0.isFinite }) {
            let row = bad / data.featureCount
            let feature = data.featureNames[bad % data.featureCount]
            return .invalid(.dataset, "Feature '\(feature)' of row \(row) is \(data.features[bad]); training needs finite values (impute or drop the row).")
        }
        return TrainingError(kind: .diverged, message: "The loss is \(value) at the starting point; the features may be too large — standardize them.")
    }

    mutating func lbfgs(tolerance: Double, maxIterations: Int, memory: Int) throws(TrainingError) -> TrainingOutcome {
        var theta = Trainer.initialParameters(objective.shape, model: config.model, seed: config.seed)
        let initial = fullObjective(theta)
        if observer.isCancelled() { return cancelled(theta, steps: 0, initial: .nan) }
        guard initial.isFinite else { throw startFailure(initial) }
        let optimizer = LBFGS(tolerance: tolerance, maxIterations: maxIterations, memory: memory,
                              gradientScale: config.reduction == .sum ? 1 / objective.weightSum : 1)
        let problem = objective
        let observer = self.observer
        var stopped = false
        let result = optimizer.minimize(
            &theta,
            evaluate: { x, g in
                problem.evaluate(x, gradient: g, rows: .all(problem.rowCount), scale: problem.lossScale)
            },
            beforeIteration: { observer.isCancelled() ? .stop(.cancelled) : .proceed },
            afterIteration: { step, x, f, norm in
                if self.record(step: step, objective: f, gradientNorm: norm, theta: x) {
                    stopped = true
                    return .stop(.earlyStopping)
                }
                return .proceed
            })
        _ = stopped
        // Cancelled inside an evaluation: the line search saw NaN and gave up; nothing diverged.
        if observer.isCancelled() { return cancelled(theta, steps: result.iterations, initial: initial) }
        guard result.objective.isFinite, theta.allSatisfy({ $0.isFinite }) else {
            throw TrainingError(kind: .diverged, message: "The loss became \(result.objective) at iteration \(result.iterations); the features may hold extreme values — standardize them or raise l2.")
        }
        return outcome(theta, steps: result.iterations, reason: result.reason,
                       objective: result.reason == .earlyStopping ? nil : result.objective)
    }

    mutating func stochastic() throws(TrainingError) -> TrainingOutcome {
        let learningRate: Double, epochs: Int, batchSize: Int
        var adam: (beta1: Double, beta2: Double, epsilon: Double)? = nil
        var momentum = 0.0
        switch config.optimizer {
        case .adam(let lr, let e, let b, let b1, let b2, let eps):
            (learningRate, epochs, batchSize) = (lr, e, b)
            adam = (b1, b2, eps)
        case .sgd(let lr, let e, let b, let m):
            (learningRate, epochs, batchSize) = (lr, e, b)
            momentum = m
        case .lbfgs:
            preconditionFailure("not a mini-batch optimizer")
        }
        let n = objective.rowCount
        let p = objective.shape.parameterCount
        var theta = Trainer.initialParameters(objective.shape, model: config.model, seed: config.seed)
        let initial = fullObjective(theta)
        if observer.isCancelled() { return cancelled(theta, steps: 0, initial: .nan) }
        guard initial.isFinite else { throw startFailure(initial) }
        var gradient = [Double](repeating: 0, count: p)
        var first = [Double](repeating: 0, count: p)    // Adam m, or SGD velocity
        var second = [Double](repeating: 0, count: p)   // Adam v
        var order = Array(0..<n)
        var generator = SeededGenerator(seed: config.seed, stream: 1_000)
        var updates = 0
        var value = initial

        func diverged(_ what: Double, epoch: Int) -> TrainingError {
            let how = what.isNaN ? "became NaN" : what.isInfinite ? "became infinite"
                : "grew from \(initial) to \(what)"
            return TrainingError(kind: .diverged,
                                 message: "The loss \(how) at epoch \(epoch); try a smaller learning rate (now \(learningRate)).")
        }

        for epoch in 1...epochs {
            generator.shuffle(&order)
            var batchStart = 0
            while batchStart < n {
                if observer.isCancelled() {
                    return cancelled(theta, steps: epoch - 1, initial: initial)
                }
                let batchEnd = min(n, batchStart + batchSize)
                let count = batchEnd - batchStart
                let scale = objective.lossScale * Double(n) / Double(count)
                let batchLoss = order.withUnsafeBufferPointer { all in
                    let rows = RowSelection(count: count,
                                            indices: UnsafeBufferPointer(rebasing: all[batchStart..<batchEnd]))
                    return theta.withUnsafeBufferPointer { x in
                        gradient.withUnsafeMutableBufferPointer { g in
                            objective.evaluate(x, gradient: g, rows: rows, scale: scale)
                        }
                    }
                }
                if observer.isCancelled() { return cancelled(theta, steps: epoch - 1, initial: initial) }
                guard batchLoss.isFinite, gradient.allSatisfy({ $0.isFinite }) else { throw diverged(batchLoss, epoch: epoch) }
                updates += 1
                if let adam {
                    let c1 = 1 - pow(adam.beta1, Double(updates))
                    let c2 = 1 - pow(adam.beta2, Double(updates))
                    for i in 0..<p {
                        let g = gradient[i]
                        first[i] = adam.beta1 * first[i] + (1 - adam.beta1) * g
                        second[i] = adam.beta2 * second[i] + (1 - adam.beta2) * g * g
                        theta[i] -= learningRate * (first[i] / c1) / ((second[i] / c2).squareRoot() + adam.epsilon)
                    }
                } else {
                    for i in 0..<p {
                        first[i] = momentum * first[i] - learningRate * gradient[i]
                        theta[i] += first[i]
                    }
                }
                batchStart = batchEnd
            }
            // Shuffled batches touch rows all over a backed matrix: let them all go once an epoch.
            objective.features.release(rows: 0..<n, width: objective.shape.inputCount)
            value = fullObjective(theta)
            if observer.isCancelled() { return cancelled(theta, steps: epoch - 1, initial: initial) }
            guard value.isFinite, theta.allSatisfy({ $0.isFinite }), value <= 1e6 * max(initial, 1e-300) else {
                throw diverged(value, epoch: epoch)
            }
            if record(step: epoch, objective: value, gradientNorm: nil, theta: theta) {
                return try notWorse(outcome(theta, steps: epoch, reason: .earlyStopping), than: initial, learningRate: learningRate)
            }
        }
        return try notWorse(outcome(theta, steps: epochs, reason: .epochs, objective: value), than: initial, learningRate: learningRate)
    }

    /// A mini-batch training that ends with a higher loss than it started from made the model
    /// worse than its untrained start: that is divergence, however finite the numbers, and no
    /// model is kept.
    func notWorse(_ outcome: TrainingOutcome, than initial: Double, learningRate: Double) throws(TrainingError) -> TrainingOutcome {
        guard outcome.objective > initial * (1 + 1e-9) else { return outcome }
        throw TrainingError(kind: .diverged,
                            message: "The loss ended at \(outcome.objective), above the \(initial) it started from: the optimizer made the model worse; try a smaller learning rate (now \(learningRate)).")
    }
}
