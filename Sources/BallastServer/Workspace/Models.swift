import BallastML
import BallastProtocol
import Foundation
import Synchronization

/// Trained models by name, with what they were trained on and how, shared by all clients.
/// Each counts against the memory budget that datasets count against.
public final class Models: Sendable {
    /// A model and the facts needed to evaluate it the way it was meant to be used.
    /// On disk it is a model file (`ModelFile`).
    public struct Entry: Sendable, Equatable {
        public var model: TrainedModel
        public var config: TrainingConfig
        public var trainedOn: String
        public var loss: LossName
        /// The threshold on P(positive) chosen at training (`best_f1` resolves to a number).
        public var threshold: Double?
        /// The run that trained it, whose records `run/events` still holds (nil for a loaded model).
        public var run: String?

        /// What the memory budget counts for a model: its parameters as float32, plus a fixed
        /// allowance for its names and bookkeeping.
        public var byteCount: Int {
            model.layers.reduce(Self.fixedBytes) { $0 + 4 * ($1.weights.count + $1.bias.count) }
        }

        static let fixedBytes = 1_024
    }

    private let state = Mutex([String: Entry]())
    private let budget: MemoryBudget

    /// Models reserve their bytes in `budget`, which the workspace's datasets share.
    public init(budget: MemoryBudget) {
        self.budget = budget
    }

    public var names: [String] { state.withLock { $0.keys.sorted() } }

    public func entry(_ name: String, field: String = "model") throws(RPCError) -> Entry {
        let found = state.withLock { $0[name] }
        guard let found else { throw .notFound("model", name, field: field, known: names) }
        return found
    }

    /// Stores a model under `name`, replacing any model of that name; refused with -32011 when
    /// its bytes do not fit in the memory budget (what it replaces counts as free).
    public func store(_ name: String, _ entry: Entry) throws(RPCError) {
        try Workspace.validate(name: name)
        try state.withLock { (models) throws(RPCError) in
            try budget.hold([.model(name): entry.byteCount], what: "the model '\(name)'")
            models[name] = entry
        }
    }

    /// Removes a model and gives its bytes back to the memory budget.
    public func drop(_ name: String) throws(RPCError) {
        let removed = state.withLock { models in
            let removed = models.removeValue(forKey: name)
            if removed != nil { budget.release(.model(name)) }
            return removed
        }
        if removed == nil { throw .notFound("model", name, field: "model", known: names) }
    }

    /// `m1`, `m2`, …: the first name not taken.
    public func freeName() -> String {
        state.withLock { models in
            var index = 1
            while models["m\(index)"] != nil { index += 1 }
            return "m\(index)"
        }
    }

    public func summary(_ name: String, _ entry: Entry) -> ModelSummary {
        ModelSummary(name: name, type: ModelName(entry.model.kind), classes: entry.model.classLabels,
                     positive: entry.model.positiveClass.map { entry.model.classLabels[$0] },
                     features: entry.model.featureNames.count, trainedOn: entry.trainedOn, loss: entry.loss,
                     threshold: entry.threshold, run: entry.run)
    }
}
