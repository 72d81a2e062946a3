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

    private struct State {
        var entries: [String: Entry] = [:]
        /// Keeps every model stored or dropped in the store; nil for an ephemeral daemon.
        var keeper: ModelKeeper?
        /// Models an earlier daemon kept that did not come back at this start.
        var unavailable: [String: ModelUnavailable] = [:]
    }

    private let state = Mutex(State())
    /// Held for the whole of a `store` or `drop` on a daemon that keeps models, so the store's
    /// rows change in the order memory does (two stores of one name end as the last one). It is
    /// taken before `state`'s, never inside it; `state`'s is never held during the store's write,
    /// so `entry`, `names` and a training's start never wait for a model of megabytes to be synced.
    private let writing = Mutex(())
    private let budget: MemoryBudget

    /// Models reserve their bytes in `budget`, which the workspace's datasets share.
    public init(budget: MemoryBudget) {
        self.budget = budget
    }

    public var names: [String] { state.withLock { $0.entries.keys.sorted() } }

    /// From now on every model stored is kept in the store before `store` returns, and every model
    /// dropped is forgotten there (`ModelKeeper`). Set once, at start, after the models kept by
    /// the previous daemon are back (`restore`).
    func keep(with keeper: ModelKeeper) {
        state.withLock { $0.keeper = keeper }
    }

    public func entry(_ name: String, field: String = "model") throws(RPCError) -> Entry {
        let (found, unavailable) = state.withLock { ($0.entries[name], $0.unavailable[name]) }
        if let found { return found }
        if let unavailable {
            throw RPCError(code: ErrorCode.notFound, message: "The model '\(name)' did not come back at this start: \(unavailable.message)",
                           data: ["field": .string(field), "name": .string(name), "reason": .string(unavailable.reason.rawValue)])
        }
        throw .notFound("model", name, field: field, known: names)
    }

    /// Stores a model under `name`, replacing any model of that name; refused with -32011 when
    /// its bytes do not fit in the memory budget (what it replaces counts as free). A training
    /// stores its model in place of the bytes it reserved (`reserve`), so it is never refused.
    ///
    /// - Important: on a daemon with a state directory the model is in the store (a synced
    ///   commit) before this returns, so the reply that follows promises it survives a kill -9.
    ///   When the store fails, nothing changes and the error says why (-32603 `store_failed`,
    ///   -32011 `disk_full`). Its bytes are held in the budget before the write, so nothing else
    ///   can take them meanwhile; readers see the old model (or none) until the commit is done.
    ///
    /// With `keep` false (`model/train`'s `keep: false`) the model is held in memory only: it is
    /// never written to the store, and a model of that name the store kept is forgotten there
    /// first, so no older model takes its name back at the next start.
    public func store(_ name: String, _ entry: Entry, inPlaceOf reservation: Reservation? = nil, keep: Bool = true) throws(RPCError) {
        try Workspace.validate(name: name)
        // The file is encoded before any lock is taken: a large network takes a while.
        let keeper = state.withLock { $0.keeper }
        let record = try keep ? keeper?.record(name, entry) : nil
        try writing.withLock { (_) throws(RPCError) in
            var sizes: [MemoryBudget.Holder: Int] = [.model(name): entry.byteCount]
            if let reservation { sizes[reservation.holder] = 0 }
            // The budget's holders of this name change only under `writing`, which is held until
            // the model is in memory, so `putBack` restores exactly what was there.
            let before = try budget.hold(sizes, doing: "Keeping the model '\(name)'")
            if let keeper {
                do throws(RPCError) {
                    if let record { try keeper.keep(record) } else { try keeper.forget(name) }
                } catch {
                    budget.putBack(before)
                    throw error
                }
            }
            reservation?.release()
            state.withLock { state in
                state.entries[name] = entry
                state.unavailable[name] = nil
            }
        }
    }

    /// Models an earlier daemon kept that did not come back at this start, as `model/list` reports them.
    var unavailable: [ModelUnavailable] { state.withLock { $0.unavailable.values.sorted { $0.name < $1.name } } }

    func setUnavailable(_ models: [ModelUnavailable]) {
        state.withLock { state in for model in models { state.unavailable[model.name] = model } }
    }

    /// Puts back a model the store kept, counted against the memory budget but not written again.
    func restore(_ name: String, _ entry: Entry) throws(RPCError) {
        try state.withLock { (state) throws(RPCError) in
            try budget.hold([.model(name): entry.byteCount], doing: "Restoring the model '\(name)'")
            state.entries[name] = entry
        }
    }

    /// Holds the bytes of a model a training will make, and of its working state, from before
    /// it starts: a training that would not fit is refused before any work. Storing the model
    /// turns the reservation into the model's bytes; release it when the training ends.
    /// `working` counts the optimizer's state and the final metrics' (see `TrainingPlan`); a
    /// refusal names `field` (the dataset whose rows make it large) when given.
    public func reserve(parameters: Int, working: Int, for name: String, field: String? = nil) throws(RPCError) -> Reservation {
        let holder = MemoryBudget.Holder.training(UUID().uuidString)
        let (bytes, overflow) = Self.byteCount(parameters: parameters).addingReportingOverflow(working)
        do {
            try budget.hold([holder: overflow ? .max : bytes],
                            doing: "Training the model '\(name)' (its parameters, the optimizer's state and the final metrics' scores)")
        } catch {
            throw field.map { error.adding(["field": .string($0)]) } ?? error
        }
        return Reservation(holder: holder, budget: budget)
    }

    /// Bytes held for a training's model-to-be; `release` is idempotent.
    public struct Reservation: Sendable {
        let holder: MemoryBudget.Holder
        let budget: MemoryBudget
        public func release() { budget.release(holder) }
    }

    /// Removes a model, forgetting it in the store first, and gives its bytes back to the memory
    /// budget; when the store fails, the model stays. A model that did not come back at this
    /// start is forgotten in the store too.
    public func drop(_ name: String) throws(RPCError) {
        let removed = try writing.withLock { (_) throws(RPCError) -> Bool in
            let (exists, unavailable, keeper) = state.withLock { ($0.entries[name] != nil, $0.unavailable[name] != nil, $0.keeper) }
            if !exists && unavailable {
                try keeper?.forget(name)
                state.withLock { _ = $0.unavailable.removeValue(forKey: name) }
                return true
            }
            guard exists else { return false }
            try keeper?.forget(name)
            budget.release(.model(name))
            return state.withLock { $0.entries.removeValue(forKey: name) } != nil
        }
        if !removed { throw .notFound("model", name, field: "model", known: names) }
    }

    /// `m1`, `m2`, …: the first name neither held nor kept by an earlier daemon without coming
    /// back (an unnamed training must not replace a kept model's row).
    public func freeName() -> String {
        state.withLock { state in
            var index = 1
            while state.entries["m\(index)"] != nil || state.unavailable["m\(index)"] != nil { index += 1 }
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
