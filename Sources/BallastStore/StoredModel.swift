import Foundation

/// One row of `models`: a model as the store keeps it. `file` is a whole model file, which the
/// server writes and reads (its format belongs to the server, not to the store).
public struct StoredModel: Sendable, Equatable {
    public var name: String
    /// The model file's bytes, exactly as `model/save` would write them.
    public var file: [UInt8]
    public var trainedOn: String
    /// The loss's wire name (`ce`, `wce`, `focal`).
    public var loss: String
    public var threshold: Double?
    /// Whether the threshold was tuned at training (`best_f1`), which the file does not say.
    public var thresholdTuned: Bool
    /// The run that trained it, which the file does not hold.
    public var run: String?
    public var stored: Date

    public init(name: String, file: [UInt8], trainedOn: String, loss: String, threshold: Double?,
                thresholdTuned: Bool, run: String?, stored: Date = Date()) {
        self.name = name
        self.file = file
        self.trainedOn = trainedOn
        self.loss = loss
        self.threshold = threshold
        self.thresholdTuned = thresholdTuned
        self.run = run
        self.stored = stored
    }
}
