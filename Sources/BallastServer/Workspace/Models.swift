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
        /// Whether `threshold` was tuned (`best_f1` on validation data) rather than the standard 0.5;
        /// unknown, so false, for a model read from a file.
        public var thresholdTuned = false
        /// The run that trained it, whose records `run/events` still holds (nil for a loaded model).
        public var run: String?

        /// What the memory budget counts for a model (`Models.byteCount(parameters:)`).
        public var byteCount: Int {
            Models.byteCount(parameters: model.layers.reduce(0) { $0 + $1.weights.count + $1.bias.count })
        }
    }

    /// A model's parameters as float32, plus a fixed allowance for its names and bookkeeping.
    /// Saturates at `Int.max`, so an absurd network is refused by the budget rather than overflowing.
    public static func byteCount(parameters: Int) -> Int {
        let (bytes, overflow) = parameters.multipliedReportingOverflow(by: 4)
        return overflow ? .max : bytes.addingReportingOverflow(1_024).overflow ? .max : bytes + 1_024
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
    /// its bytes do not fit in the memory budget (what it replaces counts as free). A training
    /// stores its model in place of the bytes it reserved (`reserve`), so it is never refused.
    public func store(_ name: String, _ entry: Entry, inPlaceOf reservation: Reservation? = nil) throws(RPCError) {
        try Workspace.validate(name: name)
        try state.withLock { (models) throws(RPCError) in
            var sizes: [MemoryBudget.Holder: Int] = [.model(name): entry.byteCount]
            if let reservation { sizes[reservation.holder] = 0 }
            try budget.hold(sizes, doing: "Keeping the model '\(name)'")
            reservation?.release()
            models[name] = entry
        }
    }

    /// Holds the bytes of a model a training will make, and of its working state, from before
    /// it starts: a training that would not fit is refused before any work. Storing the model
    /// turns the reservation into the model's bytes; release it when the training ends.
    public func reserve(parameters: Int, working: Int, for name: String) throws(RPCError) -> Reservation {
        let holder = MemoryBudget.Holder.training(UUID().uuidString)
        let (bytes, overflow) = Self.byteCount(parameters: parameters).addingReportingOverflow(working)
        try budget.hold([holder: overflow ? .max : bytes], doing: "Training the model '\(name)' (its parameters and the optimizer's state)")
        return Reservation(holder: holder, budget: budget)
    }

    /// Bytes held for a training's model-to-be; `release` is idempotent.
    public struct Reservation: Sendable {
        let holder: MemoryBudget.Holder
        let budget: MemoryBudget
        public func release() { budget.release(holder) }
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
