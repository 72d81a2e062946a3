import BallastProtocol
import Foundation

/// One row of `runs`: a run as the store keeps it, without its events.
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
    /// The final metrics, when the run finished with any.
    public var metrics: JSONValue?

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
