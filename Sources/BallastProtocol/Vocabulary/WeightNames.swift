/// `scheme` of `weights/compute` and of a loss's `weights`.
public enum WeightSchemeName: String, WireName {
    case inverse, balanced
    case inverseSqrt = "inverse_sqrt"
    case effectiveNumber = "effective_number"
    case binary, custom, cost
    public static let kind = "weight scheme"
    public static let kinds = "schemes"
}

/// `normalization` in a `weights/compute` result: what the weights were scaled to.
public enum WeightNormalizationName: String, WireName {
    case sumTo1 = "sum_to_1"
    case meanSampleWeight1 = "mean_sample_weight_1"
    case sumToK = "sum_to_K"
    case none
    public static let kind = "normalization"
}
