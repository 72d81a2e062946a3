import BallastML
import BallastProtocol

/// What `engine: "spark"` does not do, refused at the field a person would change, and the
/// sidecar's failures said on the wire.
enum SparkRefusals {
    static let scope = "engine=spark trains logistic and softmax models with CE or WCE"

    private static func refuse(_ field: String, _ why: String) throws(RPCError) {
        throw RPCError.invalidParams("\(scope); \(why)", field: field)
    }

    /// The model and optimizer Spark cannot fit: shared by `model/train` and `experiment/sweep`.
    static func check(model: ModelSpec?, optimizer: OptimizerSpec?) throws(RPCError) {
        if model?.type == .mlp { try refuse("model.type", "the MLP stays local.") }
        if let optimizer {
            if optimizer.type != .lbfgs { try refuse("optimizer.type", "Spark fits with its own L-BFGS, so \(optimizer.type.rawValue) stays local.") }
            if optimizer.memory != nil { try refuse("optimizer.memory", "Spark's L-BFGS keeps its own number of corrections.") }
        }
    }

    /// The params Spark's fit cannot honour.
    static func check(_ params: ModelTrain.Params) throws(RPCError) {
        try check(model: params.model, optimizer: nil)
        if params.loss?.type == .focal { try refuse("loss.type", "focal loss stays local.") }
        try check(model: nil, optimizer: params.optimizer)
        if params.resample != nil { try refuse("resample", "resampling stays local (Spark reads the file's rows as they are).") }
        if params.sampleWeight != nil { try refuse("sample_weight", "per-row weights stay local (Spark weighs rows by their class).") }
        if params.validation != nil { try refuse("validation", "validation data and early stopping stay local; evaluate the stored model with model/evaluate.") }
        if params.earlyStopping != nil { try refuse("early_stopping", "early stopping stays local.") }
    }

    /// The sweep params Spark cannot honour: γ is focal loss, and the ranking metrics need every
    /// held-out score, which would have to leave Spark row by row.
    static func check(_ params: ExperimentSweep.Params) throws(RPCError) {
        try check(model: params.model, optimizer: params.optimizer)
        if params.param == .gamma { try refuse("param", "γ is the focal loss's, and focal loss stays local (sweep w or beta).") }
        if let metric = params.metric, metric == .prAUC || metric == .rocAUC {
            throw RPCError.invalidParams("engine=spark scores each fold from its confusion counts and log loss, computed inside Spark; \(metric.rawValue) ranks every held-out row's score (scikit-learn's average precision and ROC AUC, which Spark's evaluator computes otherwise), so it stays local. Pick f1, recall, precision, mcc, balanced_accuracy, g_mean or loss.",
                                         field: "metric")
        }
    }

    /// engine=spark on a daemon that cannot find its sidecar.
    static var unavailable: RPCError {
        RPCError(code: ErrorCode.invalidData,
                 message: "engine=spark is not available: the Spark sidecar was not found. Give its folder with ballastd --spark-sidecar DIR (a checkout's sidecars/spark), and \(SparkLaunch.installHint).",
                 data: ["field": "engine", "reason": "spark_unavailable"])
    }

    /// Spark reads the file's columns by name: each feature must be a column, not a one-hot level.
    static func check(_ data: Dataset) throws(RPCError) {
        if let text = data.schema.columns.first(where: { if case .categorical = $0 { true } else { false } }) {
            throw RPCError.invalidParams("\(scope) on numeric columns; the column '\(text.name)' holds text, one-hot encoded by the daemon, which Spark would not see the same way.",
                                         field: "engine")
        }
    }

    /// A failed spark fit on the wire: cancelled is -32800 as a local cancel; missing pyspark or
    /// Java -32010 at `engine`; the sidecar's data errors -32010 at `source` (or `dataset`);
    /// a sidecar that died -32603.
    static func wire(_ failure: SparkFailure, source: Bool, run: String) -> RPCError {
        switch failure {
        case .cancelled:
            return .cancelled(partial: ["run": .string(run), "steps": 0])
        case .unavailable(let message):
            return RPCError(code: ErrorCode.invalidData, message: message, data: ["field": "engine", "reason": "spark_unavailable"])
        case .died(let lastLine):
            return RPCError(code: ErrorCode.internalError, message: "The Spark sidecar stopped: \(lastLine)",
                            data: ["field": "engine", "reason": "spark_sidecar_stopped"])
        case let .reported(kind, message, field) where kind == "data" && field == "class_counts":
            // Read and counted before any fit: the weights, l2 and metrics are the dataset's.
            return otherRows(message, source: source).adding(["spark_field": "class_counts"])
        case let .reported(kind, message, field):
            var data: [String: JSONValue] = ["field": .string(source ? "source" : "dataset"), "spark_kind": .string(kind)]
            if let field { data["spark_field"] = .string(field) }
            let code = kind == "data" ? ErrorCode.invalidData : ErrorCode.internalError
            return RPCError(code: code, message: kind == "data" ? message : "Spark failed: \(message)", data: .object(data))
        }
    }

    /// Spark read other rows than the dataset holds (`detail` says how the counts differ): refused,
    /// since the class weights, l2 and metrics are worked out from the dataset's counts. At
    /// `source` when one was given, else at `engine`.
    static func otherRows(_ detail: String, dataset: String? = nil, source: Bool) -> RPCError {
        RPCError.invalidParams("Spark read other rows than the dataset \(dataset.map { "'\($0)' " } ?? "")holds (\(detail)); the class weights, l2 and metrics are the dataset's, so Spark must read its rows. Give source the same data (as CSV or Parquet), or load the file itself as the dataset (storage=disk when it is larger than memory).",
                               field: source ? "source" : "engine")
    }

    /// `otherRows` for counts a finished Spark job reported, per class by label.
    static func otherRows(read: [Int], expected: [Int], labels: [String], dataset: String, source: Bool) -> RPCError {
        let spoken = { (counts: [Int]) in zip(labels, counts).map { "\($0): \($1)" }.joined(separator: ", ") }
        return otherRows("per class \(spoken(read)) against \(spoken(expected))", dataset: dataset, source: source)
    }
}
