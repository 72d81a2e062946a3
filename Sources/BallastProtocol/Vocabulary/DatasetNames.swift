/// `preset` of `dataset/generate`.
public enum PresetName: String, WireName {
    case fraud
    case mildImbalance = "mild_imbalance"
    case balanced, multiclass
    public static let kind = "preset"
}

/// `method` of `dataset/resample`.
public enum ResampleMethodName: String, WireName {
    case over, under, smote
    public static let kind = "resampling method"
}

/// `missing` of `dataset/load`: what to do with an empty or NA cell.
public enum MissingPolicyName: String, WireName {
    case error
    case dropRows = "drop_rows"
    case imputeMean = "impute_mean"
    public static let kind = "missing-value policy"
}

/// `header` of `dataset/load`.
public enum HeaderModeName: String, WireName {
    case auto, present, absent
    public static let kind = "header mode"
}

/// `origin` in `dataset/describe`: how a dataset was made.
public enum DatasetOriginName: String, WireName {
    case generated, loaded, split, fold, standardized, resampled
    public static let kind = "dataset origin"
}
