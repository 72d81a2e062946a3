import BallastML
import BallastProtocol

// A whole training config in `model/train`'s shapes, as `model/describe` shows it and a model
// file keeps it; each part translates in its own file (`ModelSpec+Engine`, `LossSpec+Engine`, …).

extension TrainingConfigSpec {
    init(_ config: TrainingConfig, lossName: LossName) {
        self.init(model: ModelSpec(config.model), loss: LossSpec(config.loss, name: lossName),
                  optimizer: OptimizerSpec(config.optimizer), l2: config.l2, reduction: ReductionName(config.reduction),
                  seed: Int64(bitPattern: config.seed), classWeights: config.classWeights,
                  earlyStopping: config.earlyStopping.map { EarlyStoppingSpec(patience: $0.patience, minDelta: $0.minDelta) })
    }
}

extension TrainingConfig {
    /// A config as `TrainingConfigSpec(_:lossName:)` wrote it: every field the model, loss and
    /// optimizer take must be there (no defaults, no data to work class weights out from).
    /// `prefix` is where the config sits, for error paths (`config.`).
    init(exactly spec: TrainingConfigSpec, at prefix: String) throws(RPCError) {
        let earlyStopping = try spec.earlyStopping.map { stopping throws(RPCError) in
            EarlyStopping(patience: try SpecField.required(stopping.patience, prefix + "early_stopping.patience", for: "early stopping"),
                          minDelta: try SpecField.required(stopping.minDelta, prefix + "early_stopping.min_delta", for: "early stopping"))
        }
        self.init(model: try ModelKind(exactly: spec.model, at: prefix), loss: try LossKind(exactly: spec.loss, at: prefix),
                  optimizer: try OptimizerKind(exactly: spec.optimizer, at: prefix), classWeights: spec.classWeights,
                  l2: spec.l2, reduction: Reduction(spec.reduction), seed: UInt64(bitPattern: spec.seed),
                  earlyStopping: earlyStopping)
    }
}
