import BallastProtocol
import Foundation
import GRDB

/// Reading runs: one, several by id, or every one; each with its datasets and metrics.
extension Store {
    /// Every run, oldest first. (For tests: the daemon reads pages, `listRuns`.)
    func runs() throws(StoreError) -> [StoredRun] {
        try read { db in
            try Self.completed(try Row.fetchAll(db, sql: "SELECT * FROM runs ORDER BY started, rowid").map(StoredRun.init(row:)), db)
        }
    }

    /// The run of this id, or nil.
    public func run(id: String) throws(StoreError) -> StoredRun? {
        try runs(ids: [id])[id]
    }

    /// The runs of these ids that exist, by id.
    public func runs(ids: [String]) throws(StoreError) -> [String: StoredRun] {
        guard !ids.isEmpty else { return [:] }
        return try read { db in
            var found: [StoredRun] = []
            for chunk in Self.chunks(of: Array(Set(ids))) {
                let marks = Array(repeating: "?", count: chunk.count).joined(separator: ", ")
                found += try Row.fetchAll(db, sql: "SELECT * FROM runs WHERE id IN (\(marks))", arguments: StatementArguments(chunk))
                    .map(StoredRun.init(row:))
            }
            return Dictionary(uniqueKeysWithValues: try Self.completed(found, db).map { ($0.id, $0) })
        }
    }

    /// Every metric name some run has, sorted (what `run/list` can sort by besides the times).
    public func metricNames() throws(StoreError) -> [String] {
        try read { db in try String.fetchAll(db, sql: "SELECT DISTINCT name FROM run_metrics ORDER BY name") }
    }

    /// How many records a run has kept.
    public func eventCount(run id: String) throws(StoreError) -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM run_events WHERE run_id = ?", arguments: [id]) ?? 0 }
    }

    /// Fills in the datasets and metrics of runs read from `runs`, in two queries (per 500 runs).
    static func completed(_ runs: [StoredRun], _ db: Database) throws -> [StoredRun] {
        guard !runs.isEmpty else { return runs }
        var datasets: [String: [RunDataset]] = [:]
        var metrics: [String: [String: Double]] = [:]
        for ids in chunks(of: runs.map(\.id)) {
            let marks = Array(repeating: "?", count: ids.count).joined(separator: ", ")
            for row in try Row.fetchAll(db, sql: "SELECT * FROM run_datasets WHERE run_id IN (\(marks))", arguments: StatementArguments(ids)) {
                let run: String = try row.required("run_id", of: "a row of run_datasets")
                let what = "run_datasets row of \(run)"
                datasets[run, default: []].append(RunDataset(role: try row.required("role", of: what), name: try row.required("name", of: what),
                                                             fingerprint: try row.optional("fingerprint", of: what)))
            }
            for row in try Row.fetchAll(db, sql: "SELECT * FROM run_metrics WHERE run_id IN (\(marks))", arguments: StatementArguments(ids)) {
                let run: String = try row.required("run_id", of: "a row of run_metrics")
                let what = "run_metrics row of \(run)"
                metrics[run, default: [:]][try row.required("name", of: what) as String] = try row.optional("value", of: what) as Double?
            }
        }
        return runs.map { run in
            var run = run
            run.datasets = (datasets[run.id] ?? []).sorted { Self.roleOrder($0.role) < Self.roleOrder($1.role) }
            run.metricValues = metrics[run.id] ?? [:]
            return run
        }
    }

    /// Ids a few hundred at a time: SQLite binds at most 32,766 variables in one statement.
    static func chunks(of ids: [String]) -> [ArraySlice<String>] {
        stride(from: 0, to: ids.count, by: 500).map { ids[$0..<min($0 + 500, ids.count)] }
    }

    /// Datasets in the order a request names them: what trains first, then what scores it.
    private static func roleOrder(_ role: String) -> Int {
        ["dataset", "train", "validation", "test"].firstIndex(of: role) ?? 9
    }
}

extension StoredRun {
    /// A row of `runs`. A column of the wrong type, or a JSON column that no longer parses, fails
    /// the read with `StoreError.damaged` naming the run (never a trap).
    init(row: Row) throws {
        let id: String = try row.required("id", of: "a row of runs")
        let what = "runs row of \(id)"
        func json(_ column: String) throws -> JSONValue? {
            guard let text: String = try row.optional(column, of: what) else { return nil }
            do { return try JSONParser.parse(text) } catch {
                throw StoreError.damaged(path: "", reason: "\(what): \(column) is not JSON (\(error))")
            }
        }
        let status: String = try row.required("status", of: what)
        let started: Double = try row.required("started", of: what)
        let ended: Double? = try row.optional("ended", of: what)
        self.init(id: id, method: try row.required("method", of: what), params: try json("params") ?? .null,
                  config: try json("config"), status: RunStatusName(rawValue: status) ?? .failed,
                  started: Date(timeIntervalSince1970: started), ended: ended.map(Date.init(timeIntervalSince1970:)),
                  metrics: try json("metrics"))
        model = try row.optional("model", of: what)
        modelType = try row.optional("model_type", of: what)
        loss = try row.optional("loss", of: what)
        seconds = try row.optional("seconds", of: what)
        message = try row.optional("message", of: what)
        result = try json("result")
    }
}
