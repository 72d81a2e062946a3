import BallastProtocol
import Foundation
import GRDB

/// Reading runs: one, several by id, or every one; each with its datasets and metrics.
extension Store {
    /// Every run, oldest first.
    public func runs() throws(StoreError) -> [StoredRun] {
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
            let marks = Array(repeating: "?", count: ids.count).joined(separator: ", ")
            let found = try Row.fetchAll(db, sql: "SELECT * FROM runs WHERE id IN (\(marks))", arguments: StatementArguments(ids))
                .map(StoredRun.init(row:))
            return Dictionary(uniqueKeysWithValues: try Self.completed(found, db).map { ($0.id, $0) })
        }
    }

    /// How many records a run has kept.
    public func eventCount(run id: String) throws(StoreError) -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM run_events WHERE run_id = ?", arguments: [id]) ?? 0 }
    }

    /// Fills in the datasets and metrics of runs read from `runs`, in two queries.
    static func completed(_ runs: [StoredRun], _ db: Database) throws -> [StoredRun] {
        guard !runs.isEmpty else { return runs }
        let ids = runs.map(\.id)
        let marks = Array(repeating: "?", count: ids.count).joined(separator: ", ")
        var datasets: [String: [RunDataset]] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT * FROM run_datasets WHERE run_id IN (\(marks))", arguments: StatementArguments(ids)) {
            datasets[row["run_id"], default: []].append(RunDataset(role: row["role"], name: row["name"], fingerprint: row["fingerprint"]))
        }
        var metrics: [String: [String: Double]] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT * FROM run_metrics WHERE run_id IN (\(marks))", arguments: StatementArguments(ids)) {
            metrics[row["run_id"], default: [:]][row["name"]] = row["value"]
        }
        return runs.map { run in
            var run = run
            run.datasets = (datasets[run.id] ?? []).sorted { Self.roleOrder($0.role) < Self.roleOrder($1.role) }
            run.metricValues = metrics[run.id] ?? [:]
            return run
        }
    }

    /// Datasets in the order a request names them: what trains first, then what scores it.
    private static func roleOrder(_ role: String) -> Int {
        ["dataset", "train", "validation", "test"].firstIndex(of: role) ?? 9
    }
}

extension StoredRun {
    /// A row of `runs`. JSON columns were written by JSONWriter; one that no longer parses
    /// fails the fetch with `StoreError.damaged`.
    init(row: Row) throws {
        func json(_ column: String) throws -> JSONValue? {
            guard let text = row[column] as String? else { return nil }
            do { return try JSONParser.parse(text) } catch {
                throw StoreError.damaged(path: "", reason: "runs.\(column) of \(row["id"] as String? ?? "?"): \(error)")
            }
        }
        let status: String = row["status"]
        self.init(id: row["id"], method: row["method"], params: try json("params") ?? .null,
                  config: try json("config"), status: RunStatusName(rawValue: status) ?? .failed,
                  started: Date(timeIntervalSince1970: row["started"]),
                  ended: (row["ended"] as Double?).map(Date.init(timeIntervalSince1970:)),
                  metrics: try json("metrics"))
        model = row["model"]
        modelType = row["model_type"]
        loss = row["loss"]
        seconds = row["seconds"]
        message = row["message"]
        result = try json("result")
    }
}
