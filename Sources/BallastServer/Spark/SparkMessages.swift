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
    /// The dataset's rows per class: Spark reading other counts is refused before any fit runs.
    var classCounts: [Int]? = nil

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
        if let classCounts { fields["class_counts"] = .array(classCounts.map { .int(Int64($0)) }) }
        return .object(fields)
    }
}

/// One `sweep` request: the data fields of a `fit` (its `class_weights` and `l2` unused), the
/// number of folds, one fold seed per repeat, and the fits in the order they run and come back.
struct SparkSweepRequest: Sendable, Equatable {
    struct Fit: Sendable, Equatable {
        var repeatIndex: Int
        var fold: Int
        var classWeights: [Double]?
        /// Spark's `regParam` for this fit.
        var regParam: Double
    }

    var data: SparkFitRequest
    var folds: Int
    var seeds: [UInt64]
    var fits: [Fit]

    var id: String {
        get { data.id }
        set { data.id = newValue }
    }

    var json: JSONValue {
        guard case .object(var fields) = data.json else { return data.json }
        fields["op"] = "sweep"
        fields["class_weights"] = nil
        fields["l2"] = nil
        fields["folds"] = .int(Int64(folds))
        // Seeds are UInt64 (a repeat's derived seed often above Int64.max): sent as the signed
        // integer of the same 64 bits, which the sidecar reads back as those bits.
        fields["seeds"] = .array(seeds.map { .int(Int64(bitPattern: $0)) })
        fields["fits"] = .array(fits.map { fit in
            ["repeat": .int(Int64(fit.repeatIndex)), "fold": .int(Int64(fit.fold)),
             "class_weights": fit.classWeights.map { .array($0.map { .double($0) }) } ?? .null,
             "l2": .double(fit.regParam)]
        })
        return .object(fields)
    }
}

/// What a sweep returned: for each fit (in request order) the held-out fold's confusion counts
/// (`[truth][predicted]`, at 0.5 on P(positive) for binary data, argmax otherwise) and its summed
/// clipped log loss; the rows per class Spark read, and per repeat and fold the held-out rows per class.
struct SparkSweepResult: Sendable, Equatable {
    struct Fit: Sendable, Equatable {
        var confusion: [[Int]]
        var logLossSum: Double
        var rows: Int
        var iterations: Int
    }

    var fits: [Fit]
    var classCounts: [Int]
    var foldCounts: [[[Int]]]
    var seconds: Double

    init(json: JSONValue) {
        func ints(_ value: JSONValue?) -> [Int] { value?.arrayValue?.compactMap { $0.intValue.map { Int($0) } } ?? [] }
        fits = json["fits"]?.arrayValue?.map { fit in
            Fit(confusion: fit["confusion"]?.arrayValue?.map { ints($0) } ?? [],
                logLossSum: fit["log_loss_sum"]?.doubleValue ?? .nan,
                rows: fit["rows"]?.intValue.map { Int($0) } ?? 0,
                iterations: fit["iterations"]?.intValue.map { Int($0) } ?? 0)
        } ?? []
        classCounts = ints(json["class_counts"])
        foldCounts = json["fold_counts"]?.arrayValue?.map { $0.arrayValue?.map { ints($0) } ?? [] } ?? []
        seconds = json["seconds"]?.doubleValue ?? 0
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

extension SparkFitResult {
    init(json: JSONValue) {
        func number(_ key: String) -> Double? { json[key]?.doubleValue }
        func int(_ key: String) -> Int { json[key]?.intValue.map { Int($0) } ?? 0 }
        let rows = json["coefficients"]?.arrayValue?.map { $0.arrayValue?.compactMap(\.doubleValue) ?? [] } ?? []
        self.init(coefficients: rows, intercepts: json["intercepts"]?.arrayValue?.compactMap(\.doubleValue) ?? [],
                  iterations: int("iterations"), objectiveHistory: json["objective_history"]?.arrayValue?.compactMap(\.doubleValue) ?? [],
                  rows: int("rows"), weightSum: number("weight_sum") ?? .nan,
                  classCounts: json["class_counts"]?.arrayValue?.compactMap { $0.intValue.map { Int($0) } } ?? [],
                  seconds: number("seconds") ?? 0)
    }
}

/// A sweep's fits done and in all.
struct SparkFitCount: Sendable, Equatable {
    var done: Int
    var total: Int
}

/// One event line from the sidecar's stdout.
enum SparkEvent: Sendable, Equatable {
    case ready(sparkVersion: String, master: String)
    /// `fits`: a sweep's fits done and in all, once one has ended.
    case progress(id: String, stage: String, tasksDone: Int, tasksTotal: Int, fits: SparkFitCount?)
    /// The result's fields, read as a fit's or a sweep's by the request that waits for it.
    case result(id: String, JSONValue)
    case error(id: String?, kind: String, message: String, field: String?)
    /// A line that is not an event this daemon knows; logged and ignored.
    case unknown(String)

    init(line: String) {
        guard let json = try? JSONParser.parse(line), let event = json["event"]?.stringValue else {
            self = .unknown(line)
            return
        }
        let id = json["id"]?.stringValue
        func int(_ key: String) -> Int { json[key]?.intValue.map { Int($0) } ?? 0 }
        switch event {
        case "ready":
            self = .ready(sparkVersion: json["spark_version"]?.stringValue ?? "?", master: json["master"]?.stringValue ?? "?")
        case "progress" where id != nil:
            let fits = json["fits_total"] != nil ? SparkFitCount(done: int("fits_done"), total: int("fits_total")) : nil
            self = .progress(id: id!, stage: json["stage"]?.stringValue ?? "fitting", tasksDone: int("tasks_done"),
                             tasksTotal: int("tasks_total"), fits: fits)
        case "result" where id != nil:
            self = .result(id: id!, json)
        case "error":
            self = .error(id: id, kind: json["kind"]?.stringValue ?? "spark",
                          message: json["message"]?.stringValue ?? "The Spark sidecar reported an error without a message.",
                          field: json["field"]?.stringValue)
        default:
            self = .unknown(line)
        }
    }
}
