import Foundation

/// A dataset a run read, under the role it had in the request (`dataset`, `validation`, `train`,
/// `test`), with the fingerprint of its content then, so a later run on "the same name" can be
/// told apart from a run on the same data.
public struct RunDataset: Codable, Sendable, Equatable {
    public var role: String
    public var name: String
    /// A hash of the rows, labels and schema (hex); nil when it was not taken.
    public var fingerprint: String?
    public init(role: String, name: String, fingerprint: String? = nil) {
        self.role = role
        self.name = name
        self.fingerprint = fingerprint
    }
}

/// One run as `run/list` shows it: what it was, on what, how it ended, and its final metrics.
public struct RunSummary: Codable, Sendable, Equatable {
    public var run: String
    /// The request that made it: `model/train`, `experiment/compare`, `experiment/sweep`.
    public var method: String
    public var status: RunStatusName
    /// When it began and ended, ISO 8601 in UTC (`2026-11-30T08:35:38.125Z`); `ended` is nil while
    /// running and for an interrupted run, whose end is unknown.
    public var started: String
    public var ended: String?
    public var seconds: Double?
    public var datasets: [RunDataset]
    /// The model it produced (`model/train`).
    public var model: String?
    /// `logistic`, `softmax` or `mlp`, when the run trained one kind of model.
    public var modelType: String?
    /// `ce`, `wce` or `focal`, when the run trained with one loss.
    public var loss: String?
    /// Its final metrics, flat, by dotted name: `validation.f1`, `train.recall`, `objective`,
    /// `steps`; `wce_inverse.f1` per arm of a comparison; `best.mean` and `best.value` of a sweep.
    public var metrics: [String: Double]
    /// Why it failed, for a failed run.
    public var message: String?

    public init(run: String, method: String, status: RunStatusName, started: String, ended: String? = nil,
                seconds: Double? = nil, datasets: [RunDataset] = [], model: String? = nil, modelType: String? = nil,
                loss: String? = nil, metrics: [String: Double] = [:], message: String? = nil) {
        self.run = run
        self.method = method
        self.status = status
        self.started = started
        self.ended = ended
        self.seconds = seconds
        self.datasets = datasets
        self.model = model
        self.modelType = modelType
        self.loss = loss
        self.metrics = metrics
        self.message = message
    }

    enum CodingKeys: String, CodingKey {
        case run, method, status, started, ended, seconds, datasets, model
        case modelType = "model_type"
        case loss, metrics, message
    }
}

/// `run/list`: past and running runs, newest first unless sorted otherwise, a page at a time.
/// Every filter given must match; a run without the metric sorted by comes last.
public enum RunList: RequestMethod {
    public static let method = "run/list"

    public struct Params: Codable, Sendable, Equatable, KnownFields {
        public static let fieldNames = ["dataset", "model", "model_type", "loss", "status", "method", "since", "until",
                                        "sort_by", "order", "limit", "offset"]
        /// Runs that read a dataset of this name, in any role.
        public var dataset: String?
        /// Runs that produced the model of this name.
        public var model: String?
        public var modelType: ModelName?
        public var loss: LossName?
        public var status: RunStatusName?
        public var method: String?
        /// Runs that began at or after `since` and before `until` (ISO 8601).
        public var since: String?
        public var until: String?
        /// `started` (the default), `ended`, `seconds`, or a metric's dotted name (`validation.f1`).
        public var sortBy: String?
        /// `desc` (the default) or `asc`.
        public var order: SortOrderName?
        /// Runs per page: default 50, at most 1,000.
        public var limit: Int?
        /// Runs to skip: the `next_offset` of the previous page.
        public var offset: Int?

        public init(dataset: String? = nil, model: String? = nil, modelType: ModelName? = nil, loss: LossName? = nil,
                    status: RunStatusName? = nil, method: String? = nil, since: String? = nil, until: String? = nil,
                    sortBy: String? = nil, order: SortOrderName? = nil, limit: Int? = nil, offset: Int? = nil) {
            self.dataset = dataset
            self.model = model
            self.modelType = modelType
            self.loss = loss
            self.status = status
            self.method = method
            self.since = since
            self.until = until
            self.sortBy = sortBy
            self.order = order
            self.limit = limit
            self.offset = offset
        }

        enum CodingKeys: String, CodingKey {
            case dataset, model
            case modelType = "model_type"
            case loss, status, method, since, until
            case sortBy = "sort_by"
            case order, limit, offset
        }
    }

    public struct Result: Codable, Sendable, Equatable {
        public var runs: [RunSummary]
        /// How many runs match the filters, on every page.
        public var total: Int
        /// The `offset` of the next page; nil on the last page.
        public var nextOffset: Int?
        public init(runs: [RunSummary], total: Int, nextOffset: Int? = nil) {
            self.runs = runs
            self.total = total
            self.nextOffset = nextOffset
        }
        enum CodingKeys: String, CodingKey {
            case runs, total
            case nextOffset = "next_offset"
        }
    }
}

/// `run/describe`: everything kept about one run but its events (`run/events` pages those).
public enum RunDescribe: RequestMethod {
    public static let method = "run/describe"

    public struct Params: Codable, Sendable, Equatable, KnownFields {
        public static let fieldNames = ["run"]
        public var run: String
        public init(run: String) { self.run = run }
    }

    public struct Result: Codable, Sendable, Equatable {
        public var summary: RunSummary
        /// The request's params, exactly as sent.
        public var params: JSONValue
        /// The configuration the daemon resolved from them (defaults filled in, weights computed).
        public var config: JSONValue?
        /// The reply's result, exactly as it was sent (completed runs; nil for the others).
        public var result: JSONValue?
        /// How many records `run/events` holds for it.
        public var eventCount: Int
        public init(summary: RunSummary, params: JSONValue, config: JSONValue? = nil, result: JSONValue? = nil,
                    eventCount: Int) {
            self.summary = summary
            self.params = params
            self.config = config
            self.result = result
            self.eventCount = eventCount
        }
        enum CodingKeys: String, CodingKey {
            case summary, params, config, result
            case eventCount = "event_count"
        }
    }
}

/// `run/compare`: a table of chosen metrics and params across runs, one row per run in the
/// order asked.
public enum RunCompare: RequestMethod {
    public static let method = "run/compare"

    public struct Params: Codable, Sendable, Equatable, KnownFields {
        public static let fieldNames = ["runs", "metrics", "params"]
        /// At least one run id, at most 1,000.
        public var runs: [String]
        /// Metric names (`validation.f1`); default: every metric the runs have.
        public var metrics: [String]?
        /// Dotted paths into the params as sent (`loss.type`, `optimizer.lr`); default: those
        /// whose values differ between the runs.
        public var params: [String]?
        public init(runs: [String], metrics: [String]? = nil, params: [String]? = nil) {
            self.runs = runs
            self.metrics = metrics
            self.params = params
        }
    }

    public struct Row: Codable, Sendable, Equatable {
        public var run: String
        /// A value per column of `metrics`; nil where the run has no such metric.
        public var metrics: [Double?]
        /// A value per column of `params`; null where the run's params have no such path.
        public var params: [JSONValue]
        public init(run: String, metrics: [Double?], params: [JSONValue]) {
            self.run = run
            self.metrics = metrics
            self.params = params
        }
    }

    public struct Result: Codable, Sendable, Equatable {
        public var metrics: [String]
        public var params: [String]
        public var rows: [Row]
        public init(metrics: [String], params: [String], rows: [Row]) {
            self.metrics = metrics
            self.params = params
            self.rows = rows
        }
    }
}

/// `run/delete`: forgets finished runs and their events. A running run is refused (cancel it
/// first); the models a run trained are kept.
public enum RunDelete: RequestMethod {
    public static let method = "run/delete"

    public struct Params: Codable, Sendable, Equatable, KnownFields {
        public static let fieldNames = ["runs"]
        public var runs: [String]
        public init(runs: [String]) { self.runs = runs }
    }

    public struct Result: Codable, Sendable, Equatable {
        public var deleted: [String]
        public init(deleted: [String]) { self.deleted = deleted }
    }
}
