import BallastML
import BallastProtocol
import Foundation
import Synchronization

/// Trained models by name, with what they were trained on and how, shared by all clients.
public final class Models: Sendable {
    /// A model and the facts needed to evaluate it the way it was meant to be used.
    public struct Entry: Sendable, Codable, Equatable {
        public var model: TrainedModel
        public var config: TrainingConfig
        public var trainedOn: String
        public var loss: LossName
        /// The threshold on P(positive) chosen at training (`best_f1` resolves to a number).
        public var threshold: Double?
        /// The run that trained it, whose records `run/events` still holds (nil for a loaded model).
        public var run: String?

        enum CodingKeys: String, CodingKey {
            case model, config, loss, threshold, run
            case trainedOn = "trained_on"
        }
    }

    private let state = Mutex([String: Entry]())

    public init() {}

    public var names: [String] { state.withLock { $0.keys.sorted() } }

    public func entry(_ name: String, field: String = "model") throws(RPCError) -> Entry {
        let found = state.withLock { $0[name] }
        guard let found else { throw .notFound("model", name, field: field, known: names) }
        return found
    }

    public func store(_ name: String, _ entry: Entry) throws(RPCError) {
        try Workspace.validate(name: name)
        state.withLock { $0[name] = entry }
    }

    public func drop(_ name: String) throws(RPCError) {
        let removed = state.withLock { $0.removeValue(forKey: name) }
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
