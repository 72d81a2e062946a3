/// Since 1.9: `model/train`'s `engine`, where the fit runs: `local` (the daemon's own L-BFGS,
/// Adam or SGD, the default) or `spark` (a logistic or softmax fit by Spark's MLlib through the
/// daemon's Spark sidecar). `initialize` advertises the engines this daemon can use.
public enum EngineName: String, WireName {
    case local, spark
    public static let kind = "engine"
}

/// Since 1.9: `model/train`'s `source.format`, the file Spark reads.
public enum SourceFormatName: String, WireName {
    case csv, parquet
    public static let kind = "source format"
}
