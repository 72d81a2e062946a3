import BallastProtocol

/// One `fit` request to the sidecar (one JSON line on its stdin), in the sidecar protocol's names.
struct SparkFitRequest: Sendable, Equatable {
    enum Family: String, Sendable { case binomial, multinomial }

    var id: String
    var path: String
    var format: SourceFormatName
    /// CSV only: the delimiter and whether the first line names the columns.
    var delimiter: String = ","
    var header: Bool = true
    /// CSV without a header: every column's name in file order, as the daemon named them.
    var columns: [String]?
    var label: String
    var features: [String]
    var classes: [String]
    /// Binomial: the index in `classes` whose probability is fitted.
    var positive: Int?
    var classWeights: [Double]?
    var family: Family
    /// Spark's `regParam`: Ballast's l2, divided by Σsᵢ for a sum reduction.
    var regParam: Double
    var maxIterations: Int
    var tolerance: Double

    var json: JSONValue {
        var fields: [String: JSONValue] = [
            "op": "fit", "id": .string(id), "path": .string(path), "format": .string(format.rawValue),
            "label": .string(label), "features": .array(features.map { .string($0) }),
            "classes": .array(classes.map { .string($0) }),
            "positive": positive.map { .int(Int64($0)) } ?? .null,
            "class_weights": classWeights.map { .array($0.map { .double($0) }) } ?? .null,
            "family": .string(family.rawValue), "l2": .double(regParam),
            "max_iter": .int(Int64(maxIterations)), "tol": .double(tolerance),
        ]
        if format == .csv { fields["csv"] = ["delimiter": .string(delimiter), "header": .bool(header)] }
        if format == .csv, !header, let columns { fields["columns"] = .array(columns.map { .string($0) }) }
        return .object(fields)
    }
}

/// What the sidecar's fit returned: binomial, one row of coefficients for the positive class;
/// multinomial, one row per class in `classes` order.
struct SparkFitResult: Sendable, Equatable {
    var coefficients: [[Double]]
    var intercepts: [Double]
    var iterations: Int
    var objectiveHistory: [Double]
    var rows: Int
    var weightSum: Double
    /// Rows per class, in `classes` order, as Spark counted them.
    var classCounts: [Int]
    var seconds: Double
}

/// One event line from the sidecar's stdout.
enum SparkEvent: Sendable, Equatable {
    case ready(sparkVersion: String, master: String)
    case progress(id: String, stage: String, tasksDone: Int, tasksTotal: Int)
    case result(id: String, SparkFitResult)
    case error(id: String?, kind: String, message: String, field: String?)
    /// A line that is not an event this daemon knows; logged and ignored.
    case unknown(String)

    init(line: String) {
        guard let json = try? JSONParser.parse(line), let event = json["event"]?.stringValue else {
            self = .unknown(line)
            return
        }
        let id = json["id"]?.stringValue
        func number(_ key: String) -> Double? { json[key]?.doubleValue }
        func int(_ key: String) -> Int { json[key]?.intValue.map { Int($0) } ?? 0 }
        switch event {
        case "ready":
            self = .ready(sparkVersion: json["spark_version"]?.stringValue ?? "?", master: json["master"]?.stringValue ?? "?")
        case "progress" where id != nil:
            self = .progress(id: id!, stage: json["stage"]?.stringValue ?? "fitting", tasksDone: int("tasks_done"),
                             tasksTotal: int("tasks_total"))
        case "result" where id != nil:
            let rows = json["coefficients"]?.arrayValue?.map { $0.arrayValue?.compactMap(\.doubleValue) ?? [] } ?? []
            self = .result(id: id!, SparkFitResult(
                coefficients: rows, intercepts: json["intercepts"]?.arrayValue?.compactMap(\.doubleValue) ?? [],
                iterations: int("iterations"), objectiveHistory: json["objective_history"]?.arrayValue?.compactMap(\.doubleValue) ?? [],
                rows: int("rows"), weightSum: number("weight_sum") ?? .nan,
                classCounts: json["class_counts"]?.arrayValue?.compactMap { $0.intValue.map { Int($0) } } ?? [],
                seconds: number("seconds") ?? 0))
        case "error":
            self = .error(id: id, kind: json["kind"]?.stringValue ?? "spark",
                          message: json["message"]?.stringValue ?? "The Spark sidecar reported an error without a message.",
                          field: json["field"]?.stringValue)
        default:
            self = .unknown(line)
        }
    }
}
