/// Params naming one model.
public struct ModelRef: Codable, Sendable, Equatable, KnownFields {
    public static let fieldNames = ["model"]
    public var model: String
    public init(model: String) { self.model = model }
}

/// `model/evaluate`: metrics of a model on a dataset at a threshold.
public enum ModelEvaluate: RequestMethod {
    public static let method = "model/evaluate"

    public struct Params: Codable, Sendable, Equatable, KnownFields {
        public static let fieldNames = ["model", "dataset", "threshold", "validation", "prior_correction", "curves", "unseen_levels"]
        public var model: String
        public var dataset: String
        /// `standard`, a number, `best_f1` (tuned on `validation`, else the threshold chosen at training).
        public var threshold: Threshold?
        public var validation: String?
        /// Undo the shift class weights put into probabilities before scoring (default false).
        public var priorCorrection: Bool?
        /// Include PR and ROC curve points (default true).
        public var curves: Bool?
        /// The dataset is matched to the model's columns by name; a text level the model never
        /// saw is an error (default) or encoded as zeros.
        public var unseenLevels: UnseenLevelsName?
        public init(model: String, dataset: String, threshold: Threshold? = nil, validation: String? = nil) {
            self.model = model
            self.dataset = dataset
            self.threshold = threshold
            self.validation = validation
        }
        enum CodingKeys: String, CodingKey {
            case model, dataset, threshold, validation, curves
            case priorCorrection = "prior_correction"
            case unseenLevels = "unseen_levels"
        }
    }

    /// A metrics report, with `curves` unless `curves: false`.
    public typealias Result = MetricsReport
}

/// `model/predict`: probabilities and labels for a dataset, for rows given inline, or for a
/// float32 matrix sent as a binary buffer (answered with buffers).
public enum ModelPredict: RequestMethod {
    public static let method = "model/predict"

    public struct Params: Codable, Sendable, Equatable, KnownFields {
        public static let fieldNames = ["model", "dataset", "rows", "features", "columns", "count", "threshold", "unseen_levels",
                                        "prior_correction"]
        public static var nestedFields: [String: any KnownFields.Type] { ["features": BufferReference.self] }
        public var model: String
        public var dataset: String?
        public var rows: [PredictRow]?
        /// A float32 buffer, `count` × `columns.count`, row-major: the binary input.
        public var features: BufferReference?
        /// With `features`: the name of each of its columns, matched to the model's features by name.
        public var columns: [String]?
        /// With `features`: how many rows it holds.
        public var count: Int?
        public var threshold: Threshold?
        public var unseenLevels: UnseenLevelsName?
        /// Undo the shift class weights put into probabilities (default false), as `model/evaluate` does.
        public var priorCorrection: Bool?
        public init(model: String, dataset: String? = nil, rows: [PredictRow]? = nil, threshold: Threshold? = nil,
                    priorCorrection: Bool? = nil) {
            self.model = model
            self.dataset = dataset
            self.rows = rows
            self.threshold = threshold
            self.priorCorrection = priorCorrection
        }
        enum CodingKeys: String, CodingKey {
            case model, dataset, rows, features, columns, count, threshold
            case unseenLevels = "unseen_levels"
            case priorCorrection = "prior_correction"
        }
    }

    public struct Result: Codable, Sendable, Equatable {
        /// Class labels in the order of each probability row.
        public var classes: [String]
        /// `[[p per class]]`, or for the binary input a float32 buffer of shape `[rows, classes]`.
        public var probabilities: InlineOrBuffer<[[Double]]>
        /// Each row's label, or for the binary input an int32 buffer of class indices, shape `[rows]`.
        public var labels: InlineOrBuffer<[String]>
        public var threshold: Double?
        /// The dataset's row identifiers, in the order of `probabilities`, when it was loaded with an `id` column.
        public var ids: [String]?
        /// The dataset's own label of each row, when a `dataset` was predicted.
        public var truth: [String]?
        /// How the data was matched to the model's columns, when it took more than a look.
        public var warnings: [String]?
        public init(classes: [String], probabilities: InlineOrBuffer<[[Double]]>, labels: InlineOrBuffer<[String]>,
                    threshold: Double?, ids: [String]? = nil, truth: [String]? = nil, warnings: [String]? = nil) {
            self.ids = ids
            self.truth = truth
            self.classes = classes
            self.probabilities = probabilities
            self.labels = labels
            self.threshold = threshold
            self.warnings = warnings
        }
    }
}

/// A result field given inline as JSON, or as a binary buffer after the payload
/// (`{"buffer": i, "dtype": …, "shape": […]}`).
public enum InlineOrBuffer<Inline: Codable & Sendable & Equatable>: Codable, Sendable, Equatable {
    case inline(Inline)
    case buffer(TypedBuffer)

    public init(from decoder: any Decoder) throws {
        if let buffer = try? TypedBuffer(from: decoder) {
            self = .buffer(buffer)
        } else {
            self = .inline(try Inline(from: decoder))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .inline(let value): try value.encode(to: encoder)
        case .buffer(let buffer): try buffer.encode(to: encoder)
        }
    }
}

/// A model as `model/list` and `model/describe` show it.
public struct ModelSummary: Codable, Sendable, Equatable {
    public var name: String
    public var type: ModelName
    public var classes: [String]
    public var positive: String?
    public var features: Int
    public var trainedOn: String?
    public var loss: LossName?
    public var threshold: Double?
    /// The run that trained the model, for `run/events` (absent for a model read from a file).
    public var run: String?
    public init(name: String, type: ModelName, classes: [String], positive: String?, features: Int,
                trainedOn: String?, loss: LossName?, threshold: Double?, run: String? = nil) {
        self.name = name
        self.type = type
        self.classes = classes
        self.positive = positive
        self.features = features
        self.trainedOn = trainedOn
        self.loss = loss
        self.threshold = threshold
        self.run = run
    }
    enum CodingKeys: String, CodingKey {
        case name, type, classes, positive, features, loss, threshold, run
        case trainedOn = "trained_on"
    }
}

public enum ModelList: RequestMethod {
    public static let method = "model/list"
    public typealias Params = NoParams
    public struct Result: Codable, Sendable, Equatable {
        public var models: [ModelSummary]
        /// Models an earlier daemon kept that did not come back at this start; nil when none.
        public var unavailable: [ModelUnavailable]?
        public init(models: [ModelSummary], unavailable: [ModelUnavailable]? = nil) {
            self.models = models
            self.unavailable = unavailable
        }
    }
}

/// `model/describe`: the summary, the parameters (coefficients and intercept for linear models,
/// layers for an MLP) and the training configuration.
public enum ModelDescribe: RequestMethod {
    public static let method = "model/describe"
    public typealias Params = ModelRef
    public struct Result: Codable, Sendable, Equatable {
        public var model: ModelSummary
        public var featureNames: [String]
        /// The source columns, present when one is text (one-hot encoded).
        public var columns: [SchemaColumn]?
        public var parameters: Parameters
        public var config: TrainingConfigSpec
        public init(model: ModelSummary, featureNames: [String], columns: [SchemaColumn]?, parameters: Parameters,
                    config: TrainingConfigSpec) {
            self.columns = columns
            self.model = model
            self.featureNames = featureNames
            self.parameters = parameters
            self.config = config
        }
        enum CodingKeys: String, CodingKey {
            case model, parameters, config, columns
            case featureNames = "feature_names"
        }
    }

    /// A logistic model's `coef` and `intercept`; any other model's `layers`.
    public enum Parameters: Codable, Sendable, Equatable {
        case linear(coef: [Double], intercept: Double)
        case layers([Layer])

        enum CodingKeys: String, CodingKey { case coef, intercept, layers }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            if let layers = try c.decodeIfPresent([Layer].self, forKey: .layers) {
                self = .layers(layers)
            } else {
                self = .linear(coef: try c.decode([Double].self, forKey: .coef), intercept: try c.decode(Double.self, forKey: .intercept))
            }
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            switch self {
            case let .linear(coef, intercept):
                try c.encode(coef, forKey: .coef)
                try c.encode(intercept, forKey: .intercept)
            case .layers(let layers):
                try c.encode(layers, forKey: .layers)
            }
        }
    }

    /// `output = weights · input + bias`; `weights` is `outputs × inputs`, row-major.
    public struct Layer: Codable, Sendable, Equatable {
        public var inputs: Int
        public var outputs: Int
        public var weights: [Double]
        public var bias: [Double]
        public init(inputs: Int, outputs: Int, weights: [Double], bias: [Double]) {
            self.inputs = inputs
            self.outputs = outputs
            self.weights = weights
            self.bias = bias
        }
    }
}

public enum ModelDrop: RequestMethod {
    public static let method = "model/drop"
    public typealias Params = ModelRef
    public struct Result: Codable, Sendable, Equatable {
        public var dropped: String
        public init(dropped: String) { self.dropped = dropped }
    }
}

/// `model/save`: writes a model as versioned JSON, atomically; without `path`, answers with the
/// file's object instead of writing it.
public enum ModelSave: RequestMethod {
    public static let method = "model/save"
    public struct Params: Codable, Sendable, Equatable, KnownFields {
        public static let fieldNames = ["model", "path"]
        public var model: String
        public var path: String?
        public init(model: String, path: String? = nil) {
            self.model = model
            self.path = path
        }
    }
    /// `{path, bytes}` for a file written; `{file}` (the model file's object, exactly what would
    /// have been written) without `path`.
    public struct Result: Codable, Sendable, Equatable {
        public var path: String?
        public var bytes: Int?
        public var file: JSONValue?
        public init(path: String, bytes: Int) {
            self.path = path
            self.bytes = bytes
        }
        public init(file: JSONValue) {
            self.file = file
        }
    }
}

/// `model/load`: reads a file written by `model/save`, or takes its object as `file`. With
/// `dataset`, also checks that the model's features match that dataset's.
public enum ModelLoad: RequestMethod {
    public static let method = "model/load"
    public struct Params: Codable, Sendable, Equatable, KnownFields {
        public static let fieldNames = ["path", "file", "name", "dataset"]
        /// Exactly one of `path` and `file`.
        public var path: String?
        /// The model file's object, as `model/save` without a path gives it.
        public var file: JSONValue?
        public var name: String?
        public var dataset: String?
        public init(path: String? = nil, file: JSONValue? = nil, name: String? = nil, dataset: String? = nil) {
            self.path = path
            self.file = file
            self.name = name
            self.dataset = dataset
        }
    }
    public typealias Result = ModelSummary
}
