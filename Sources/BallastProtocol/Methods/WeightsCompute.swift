/// `weights/compute`: class weights for a dataset under one scheme, with the conversions to the
/// libraries users already know.
public enum WeightsCompute: RequestMethod {
    public static let method = "weights/compute"

    public struct Params: Codable, Sendable, Equatable, KnownFields {
        public static let fieldNames = ["dataset", "scheme", "beta", "w", "weights", "cost"]
        public var dataset: String
        /// `inverse` (default), `balanced`, `inverse_sqrt`, `effective_number`, `binary`, `custom`, `cost`.
        public var scheme: WeightSchemeName?
        /// `effective_number`: 0 ≤ β < 1 (default 0.999).
        public var beta: Double?
        /// `binary`: the positive class's weight, 0 < w < 1; the other class gets 1 − w.
        public var w: Double?
        /// `custom`: label → weight.
        public var weights: [String: Double]?
        /// `cost`: K×K matrix, cost[i][j] = cost of predicting class j when the truth is class i,
        /// rows and columns in the dataset's class order.
        public var cost: [[Double]]?

        public init(dataset: String, scheme: WeightSchemeName? = nil, beta: Double? = nil, w: Double? = nil,
                    weights: [String: Double]? = nil, cost: [[Double]]? = nil) {
            self.dataset = dataset
            self.scheme = scheme
            self.beta = beta
            self.w = w
            self.weights = weights
            self.cost = cost
        }
    }

    public struct Result: Codable, Sendable, Equatable {
        public var scheme: WeightSchemeName
        public var normalization: WeightNormalizationName
        public var classes: [ClassWeight]
        /// Binary data: w_positive / w_negative, the `pos_weight` of PyTorch's
        /// `BCEWithLogitsLoss` and TensorFlow's `weighted_cross_entropy_with_logits`.
        public var posWeight: Double?
        /// The same weights as scikit-learn's `class_weight` dict (label → weight).
        public var sklearnClassWeight: [String: Double]

        public init(scheme: WeightSchemeName, normalization: WeightNormalizationName, classes: [ClassWeight], posWeight: Double?,
                    sklearnClassWeight: [String: Double]) {
            self.scheme = scheme
            self.normalization = normalization
            self.classes = classes
            self.posWeight = posWeight
            self.sklearnClassWeight = sklearnClassWeight
        }

        enum CodingKeys: String, CodingKey {
            case scheme, normalization, classes
            case posWeight = "pos_weight"
            case sklearnClassWeight = "sklearn_class_weight"
        }
    }

    public struct ClassWeight: Codable, Sendable, Equatable {
        public var label: String
        public var count: Int
        public var weight: Double
        public init(label: String, count: Int, weight: Double) {
            self.label = label
            self.count = count
            self.weight = weight
        }
    }
}
