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
    var config: Config
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
        var layers: [Layer]

        enum CodingKeys: String, CodingKey {
            case type, classes, positive, layers
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

    /// How the model was trained, in the shapes `model/train` takes, with every default filled
    /// in and the class weights worked out. The loss's `type` is the loss's name (`ce`, `wce`,
    /// `focal`). Never the thread count: that is the daemon's business, not the model's.
    struct Config: Codable {
        var model: ModelShape
        var loss: Loss
        var optimizer: Optimizer
        var l2: Double
        /// `mean` or `sum`.
        var reduction: String
        /// Seeds from 2⁶³ on are written as their 64-bit two's complement, as `model/describe` does.
        var seed: Int64
        var classWeights: [Double]?
        var earlyStopping: EarlyStopping?

        enum CodingKeys: String, CodingKey {
            case model, loss, optimizer, l2, reduction, seed
            case classWeights = "class_weights"
            case earlyStopping = "early_stopping"
        }
    }

    struct ModelShape: Codable {
        var type: String
        var hidden: [Int]?

        enum CodingKeys: String, CodingKey {
            case type, hidden
        }
    }

    struct Loss: Codable {
        var type: String
        var gamma: Double?
        var alpha: Double?

        enum CodingKeys: String, CodingKey {
            case type, gamma, alpha
        }
    }

    /// `lbfgs` has `tol`, `max_iter`, `memory`; `adam` has `lr`, `epochs`, `batch_size`, `beta1`,
    /// `beta2`, `eps`; `sgd` has `lr`, `epochs`, `batch_size`, `momentum`.
    struct Optimizer: Codable {
        var type: String
        var tol: Double?
        var maxIter: Int?
        var memory: Int?
        var lr: Double?
        var epochs: Int?
        var batchSize: Int?
        var momentum: Double?
        var beta1: Double?
        var beta2: Double?
        var eps: Double?

        enum CodingKeys: String, CodingKey {
            case type, tol, memory, lr, epochs, momentum, beta1, beta2, eps
            case maxIter = "max_iter"
            case batchSize = "batch_size"
        }
    }

    struct EarlyStopping: Codable {
        var patience: Int
        var minDelta: Double

        enum CodingKeys: String, CodingKey {
            case patience
            case minDelta = "min_delta"
        }
    }
}
