import BallastProtocol
import Foundation

/// One row of `runs`, with the datasets it read and its final metrics: a run as the store keeps
/// it, without its events.
public struct StoredRun: Sendable, Equatable {
    public var id: String
    public var method: String
    /// The request params, as sent.
    public var params: JSONValue
    /// The resolved configuration, once known.
    public var config: JSONValue?
    public var status: RunStatusName
    public var started: Date
    public var ended: Date?
    /// The final metrics as one JSON object of numbers, by dotted name (v1 kept any JSON here).
    public var metrics: JSONValue?
    /// The datasets it read, by role, with their fingerprints.
    public var datasets: [RunDataset] = []
    /// The model it produced, its type (`logistic`, …) and its loss (`wce`, …), when known.
    public var model: String?
    public var modelType: String?
    public var loss: String?
    /// Seconds from its start to its end; nil while running and for an interrupted run.
    public var seconds: Double?
    /// Why it failed.
    public var message: String?
    /// The reply's result, as it was sent.
    public var result: JSONValue?
    /// The final metrics by dotted name, from `run_metrics`.
    public var metricValues: [String: Double] = [:]

    public init(id: String, method: String, params: JSONValue, config: JSONValue? = nil, status: RunStatusName = .running,
                started: Date, ended: Date? = nil, metrics: JSONValue? = nil) {
        self.id = id
        self.method = method
        self.params = params
        self.config = config
        self.status = status
        self.started = started
        self.ended = ended
        self.metrics = metrics
    }
}

/// What a run is when it begins: recorded synchronously, before its first event is queued.
public struct RunStart: Sendable, Equatable {
    public var id: String
    public var method: String
    /// The request params, exactly as sent.
    public var params: JSONValue
    public var config: JSONValue?
    public var datasets: [RunDataset]
    public var model: String?
    public var modelType: String?
    public var loss: String?
    public var started: Date

    public init(id: String, method: String, params: JSONValue, config: JSONValue? = nil, datasets: [RunDataset] = [],
                model: String? = nil, modelType: String? = nil, loss: String? = nil, started: Date = Date()) {
        self.id = id
        self.method = method
        self.params = params
        self.config = config
        self.datasets = datasets
        self.model = model
        self.modelType = modelType
        self.loss = loss
        self.started = started
    }
}

/// How a run ended: its final row.
public struct RunFinish: Sendable, Equatable {
    public var id: String
    public var status: RunStatusName
    public var ended: Date
    public var seconds: Double?
    /// Final metrics by dotted name (`validation.f1`); non-finite values are left out.
    public var metrics: [String: Double]
    /// The reply's result, as sent; nil for a run that failed or was cancelled.
    public var result: JSONValue?
    public var message: String?

    public init(id: String, status: RunStatusName, ended: Date = Date(), seconds: Double? = nil,
                metrics: [String: Double] = [:], result: JSONValue? = nil, message: String? = nil) {
        self.id = id
        self.status = status
        self.ended = ended
        self.seconds = seconds
        self.metrics = metrics
        self.result = result
        self.message = message
    }
}
