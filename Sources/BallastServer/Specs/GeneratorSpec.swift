import BallastML
import BallastProtocol

extension SyntheticSpec {
    /// `dataset/generate`'s params: a preset (or a small default) with the explicit fields laid over it.
    init(_ params: DatasetGenerate.Params) throws(RPCError) {
        let seed = params.seed ?? 0
        if let preset = params.preset {
            self = SyntheticPreset(preset).spec(seed: seed)
        } else {
            self.init(rows: 10_000, features: 20, informative: 5, classProportions: [0.95, 0.05],
                      separation: 2, labelNoise: 0, seed: seed)
        }
        if let rows = params.rows { self.rows = rows }
        if let features = params.features {
            if features != self.features { featureNames = nil }
            self.features = features
            if params.informative == nil { informative = min(informative, features) }
        }
        if let informative = params.informative { self.informative = informative }
        if params.positiveRate != nil && params.classWeights != nil {
            throw .invalidParams("Give positive_rate (binary data) or class_weights (any number of classes), not both.",
                                 field: "class_weights")
        }
        if let rate = params.positiveRate {
            guard rate > 0 && rate < 1 else {
                throw .invalidParams("positive_rate must lie strictly between 0 and 1, got \(rate).", field: "positive_rate")
            }
            classProportions = [1 - rate, rate]
        }
        if let weights = params.classWeights {
            let total = weights.reduce(0, +)
            guard weights.count >= 2, weights.allSatisfy({ $0 > 0 && $0.isFinite }) else {
                throw .invalidParams("class_weights needs at least two positive, finite proportions.", field: "class_weights")
            }
            classProportions = weights.map { $0 / total }
        }
        if let separation = params.separation { self.separation = separation }
        if let noise = params.noise { labelNoise = noise }
    }
}
