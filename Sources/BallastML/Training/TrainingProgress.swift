/// One step of training: an L-BFGS iteration or an epoch.
public struct TrainingStep: Sendable, Equatable {
    /// L-BFGS iteration or epoch, counted from 1.
    public var step: Int
    /// J on the whole training data after this step.
    public var objective: Double
    /// ‖∇J‖∞ after this step (divided by Σsᵢ for `.sum`, i.e. the L-BFGS convergence measure);
    /// `nil` for mini-batch optimizers, which never see the full gradient.
    public var gradientNorm: Double?
    /// Seconds since training started.
    public var elapsedSeconds: Double

    public init(step: Int, objective: Double, gradientNorm: Double?, elapsedSeconds: Double) {
        self.step = step
        self.objective = objective
        self.gradientNorm = gradientNorm
        self.elapsedSeconds = elapsedSeconds
    }
}

/// Why training ended.
public enum StopReason: Sendable, Equatable {
    /// L-BFGS met its tolerance (or could not lower J any further at double precision).
    case converged
    /// L-BFGS ran `maxIterations` iterations.
    case maxIterations
    /// A mini-batch optimizer ran all its epochs.
    case epochs
    /// The validation score stopped improving; the best model seen is returned.
    case earlyStopping
    /// The observer asked to stop; the model is as it was at that moment.
    case cancelled
}

/// Hooks into a training run, called on the training thread.
public struct TrainingObserver: Sendable {
    /// After each step: returns the validation score (higher is better) for early stopping, or nil.
    public var onStep: @Sendable (TrainingStep, TrainedModel) -> Double?
    /// Polled before every mini-batch and every L-BFGS iteration, and inside every pass over the
    /// data (each chunk of rows, every 64 rows of a network), so that even one long step stops
    /// promptly; `true` stops training with `StopReason.cancelled`. Once true it must stay true.
    public var isCancelled: @Sendable () -> Bool

    public init(onStep: @escaping @Sendable (TrainingStep, TrainedModel) -> Double? = { _, _ in nil },
                isCancelled: @escaping @Sendable () -> Bool = { false }) {
        self.onStep = onStep
        self.isCancelled = isCancelled
    }

    /// Observes nothing, never cancels.
    public static let silent = TrainingObserver()
}

/// The result of `Trainer.train`.
public struct TrainingOutcome: Sendable {
    /// The trained model (for early stopping, the best one seen).
    public var model: TrainedModel
    /// Steps taken (L-BFGS iterations or epochs; a cancelled epoch is not counted).
    public var steps: Int
    public var stopReason: StopReason
    /// J of `model` on the training data; for a cancelled run, J after the last whole step (NaN
    /// when cancelled before the first pass ended), since a pass cut short measures nothing.
    public var objective: Double
    /// Every step, in order.
    public var history: [TrainingStep]

    public init(model: TrainedModel, steps: Int, stopReason: StopReason, objective: Double, history: [TrainingStep]) {
        self.model = model
        self.steps = steps
        self.stopReason = stopReason
        self.objective = objective
        self.history = history
    }
}

/// Training could not be carried out (`invalidArgument`, with the offending `field`) or the
/// optimisation blew up (`diverged`). `message` is a whole sentence a person can act on.
public struct TrainingError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable {
        case diverged
        case invalidArgument
    }
    public var kind: Kind
    public var field: InputField?
    public var message: String

    public init(kind: Kind, field: InputField? = nil, message: String) {
        self.kind = kind
        self.field = field
        self.message = message
    }

    static func invalid(_ field: InputField, _ message: String) -> TrainingError {
        TrainingError(kind: .invalidArgument, field: field, message: message)
    }

    public var description: String {
        if let field { return "\(kind) (\(field)): \(message)" }
        return "\(kind): \(message)"
    }
}
