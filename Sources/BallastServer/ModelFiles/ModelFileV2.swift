import BallastML
import BallastProtocol

/// Version 2 of the model file, the one written since protocol 1.3.
///
/// - Important: every key is written out here and none is synthesized from an engine type, so
///   renaming something inside BallastML cannot change a file. Changing a key or its meaning
///   means a version 3, with a reader for version 2 kept.
///
/// ```
/// {"format": "ballast-model", "version": 2,
///  "model": {"type": "logistic", "classes": ["0", "1"], "positive": "1", "feature_names": [...],
///            "layers": [{"inputs": 4, "outputs": 1, "weights": [...], "bias": [...]}]},
///  "config": {"model": {"type": "logistic"}, "loss": {"type": "wce"},
///             "optimizer": {"type": "lbfgs", "tol": 1e-06, "max_iter": 1000, "memory": 10},
///             "l2": 0.01, "reduction": "mean", "seed": 3, "class_weights": [0.56, 5.0]},
///  "trained_on": "toy.train", "threshold": 0.5}
/// ```
struct ModelFileV2: Codable {
    var format: String
    var version: Int
    var model: Network
    /// How the model was trained, in the shapes `model/train` takes (the protocol's
    /// `TrainingConfigSpec`, whose keys are written out there), with every default filled in and
    /// the class weights worked out. Never the thread count: that is the daemon's, not the model's.
    var config: TrainingConfigSpec
    var trainedOn: String
    /// The threshold on P(positive) chosen at training; absent for a softmax.
    var threshold: Double?

    enum CodingKeys: String, CodingKey {
        case format, version, model, config, threshold
        case trainedOn = "trained_on"
    }

    /// The fitted network and what its outputs mean.
    struct Network: Codable {
        /// `logistic`, `softmax` or `mlp`.
        var type: String
        var classes: [String]
        /// The label whose probability a single sigmoid output gives.
        var positive: String?
        var featureNames: [String]
        /// The source columns, written only when one of them is text (one-hot encoded); absent,
        /// every feature is a numeric column of its own.
        var columns: [SchemaColumn]?
        var layers: [Layer]

        enum CodingKeys: String, CodingKey {
            case type, classes, positive, columns, layers
            case featureNames = "feature_names"
        }
    }

    /// `output = weights · input + bias`; `weights` is `outputs × inputs`, row-major, float32.
    struct Layer: Codable {
        var inputs: Int
        var outputs: Int
        var weights: [Float]
        var bias: [Float]

        enum CodingKeys: String, CodingKey {
            case inputs, outputs, weights, bias
        }
    }
}
