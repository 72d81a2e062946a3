import BallastProtocol
import Foundation
import GRDB

/// Which runs `run/list` wants and in what order: every filter given must match; a run without
/// the metric sorted by comes last, whichever the order.
public struct RunQuery: Sendable, Equatable {
    public enum SortKey: Sendable, Equatable {
        case started, ended, seconds
        /// A final metric by its dotted name (`validation.f1`).
        case metric(String)
    }

    /// Runs that read a dataset of this name, in any role.
    public var dataset: String?
    public var model: String?
    public var modelType: String?
    public var loss: String?
    public var status: RunStatusName?
    public var method: String?
    /// Runs that began at or after `since`, and before `until`, to the millisecond.
    public var since: Date?
    public var until: Date?
    public var sortBy: SortKey = .started
    public var ascending = false
    public var limit = 50
    public var offset = 0

    public init() {}
}

/// A page of runs, and how many match on every page.
public struct RunPage: Sendable, Equatable {
    public var runs: [StoredRun]
    public var total: Int
}

extension Store {
    /// The runs matching `query`, a page at a time, with their datasets and metrics.
    public func listRuns(_ query: RunQuery) throws(StoreError) -> RunPage {
        var conditions: [String] = []
        var arguments: [(any DatabaseValueConvertible)?] = []
        func match(_ column: String, _ value: (any DatabaseValueConvertible)?) {
            guard let value else { return }
            conditions.append("\(column) = ?")
            arguments.append(value)
        }
        if let dataset = query.dataset {
            conditions.append("EXISTS (SELECT 1 FROM run_datasets AS d WHERE d.run_id = runs.id AND d.name = ?)")
            arguments.append(dataset)
        }
        match("runs.model", query.model)
        match("runs.model_type", query.modelType)
        match("runs.loss", query.loss)
        match("runs.status", query.status?.rawValue)
        match("runs.method", query.method)
        // Times are compared to the millisecond the wire shows (half a millisecond either way
        // absorbs the rounding of a time written as text and read back).
        if let since = query.since {
            conditions.append("runs.started >= ?")
            arguments.append(since.timeIntervalSince1970 - 0.0005)
        }
        if let until = query.until {
            conditions.append("runs.started < ?")
            arguments.append(until.timeIntervalSince1970 - 0.0005)
        }
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")

        let key: String
        var join = ""
        var joinArguments: [(any DatabaseValueConvertible)?] = []
        switch query.sortBy {
        case .started: key = "runs.started"
        case .ended: key = "runs.ended"
        case .seconds: key = "runs.seconds"
        case .metric(let name):
            key = "sort_metric.value"
            join = "LEFT JOIN run_metrics AS sort_metric ON sort_metric.run_id = runs.id AND sort_metric.name = ?"
            joinArguments = [name]
        }
        let direction = query.ascending ? "ASC" : "DESC"
        // Runs without the key last; ties in the order they began (rowid: the order of insertion).
        let order = "ORDER BY (\(key) IS NULL), \(key) \(direction), runs.started \(direction), runs.rowid \(direction)"
        let select = "SELECT runs.* FROM runs \(join) \(filter) \(order) LIMIT ? OFFSET ?"
        let pageArguments = StatementArguments(joinArguments + arguments + [query.limit, query.offset])
        let countArguments = StatementArguments(arguments)
        return try read { db in
            let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM runs \(filter)", arguments: countArguments) ?? 0
            let rows = try Row.fetchAll(db, sql: select, arguments: pageArguments).map(StoredRun.init(row:))
            return RunPage(runs: try Self.completed(rows, db), total: total)
        }
    }
}
