import BallastProtocol
import Foundation
import GRDB

/// Writing runs: a run's row when it begins, its records in batches, its final row when it ends.
extension Store {
    /// Records a run as `running`, with the datasets it reads. Its id must be new to the store.
    public func beginRun(_ start: RunStart) throws(StoreError) {
        try write { db in
            try db.execute(
                sql: """
                    INSERT INTO runs (id, method, params, config, status, started, model, model_type, loss)
                    VALUES (?, ?, ?, ?, 'running', ?, ?, ?, ?)
                    """,
                arguments: [start.id, start.method, JSONWriter.string(start.params), start.config.map { JSONWriter.string($0) },
                            start.started.timeIntervalSince1970, start.model, start.modelType, start.loss])
            let insert = try db.cachedStatement(sql: "INSERT OR REPLACE INTO run_datasets (run_id, role, name, fingerprint) VALUES (?, ?, ?, ?)")
            for dataset in start.datasets {
                try insert.execute(arguments: [start.id, dataset.role, dataset.name, dataset.fingerprint])
            }
            if let number = RunNumber.of(start.id) {
                try db.execute(sql: "UPDATE run_counter SET largest = MAX(largest, ?) WHERE id = 1", arguments: [number])
            }
        }
    }

    /// Records a run as `running`. Its id must be new to the store. (For tests.)
    func beginRun(id: String, method: String, params: JSONValue, config: JSONValue? = nil,
                         started: Date = Date()) throws(StoreError) {
        try beginRun(RunStart(id: id, method: method, params: params, config: config, started: started))
    }

    /// Keeps a batch of numbered records (each with `run` and `seq`), of one run or several, in
    /// one transaction: all of them are kept, or none.
    ///
    /// - Important: one transaction per batch, never per record. `RunWriter` gathers records off
    ///   the training thread and flushes them every interval, and before a run finishes.
    func appendEvents(_ batch: [RunEvent]) throws(StoreError) {
        try commit(events: batch, finishing: nil)
    }

    /// Ends a run with its final status, metrics and reply, in one transaction. (For tests.)
    func finishRun(_ finish: RunFinish) throws(StoreError) {
        try commit(events: [], finishing: finish)
    }

    /// Ends a run with its final status and metrics (a JSON object whose numbers become the
    /// run's metrics by name). (For tests: v1 kept any JSON as metrics.)
    func finishRun(id: String, status: RunStatusName, metrics: JSONValue? = nil,
                          ended: Date = Date()) throws(StoreError) {
        var values: [String: Double] = [:]
        for (name, value) in metrics?.objectValue ?? [:] { if let number = value.doubleValue { values[name] = number } }
        try commit(events: [], finishing: RunFinish(id: id, status: status, ended: ended, metrics: values),
                   metricsJSON: metrics)
    }

    /// Keeps records and, when given, a run's final row, in one transaction: all or nothing.
    func commit(events batch: [RunEvent], finishing finish: RunFinish?) throws(StoreError) {
        try commit(events: batch, finishing: finish, metricsJSON: nil)
    }

    private func commit(events batch: [RunEvent], finishing finish: RunFinish?, metricsJSON: JSONValue?) throws(StoreError) {
        guard !batch.isEmpty || finish != nil else { return }
        let rows = try Self.eventRows(batch)
        try write { db in
            if !rows.isEmpty {
                let insert = try db.cachedStatement(sql: "INSERT INTO run_events (run_id, seq, body) VALUES (?, ?, ?)")
                for row in rows {
                    try insert.execute(arguments: [row.run, row.seq, row.body])
                }
            }
            if let finish {
                try Self.writeFinish(finish, metricsJSON: metricsJSON, in: db)
            }
        }
    }

    private static func eventRows(_ batch: [RunEvent]) throws(StoreError) -> [(run: String, seq: Int, body: String)] {
        var rows: [(run: String, seq: Int, body: String)] = []
        rows.reserveCapacity(batch.count)
        for event in batch {
            guard let run = event.run, let seq = event.seq else { throw .unnumberedEvent(kind: event.kind.rawValue) }
            let json: JSONValue
            do { json = try JSONValue(encoding: event) } catch {
                throw .database(code: 0, message: "event \(seq) of run \(run) does not encode: \(error)")
            }
            rows.append((run, seq, JSONWriter.string(json)))
        }
        return rows
    }

    private static func writeFinish(_ finish: RunFinish, metricsJSON: JSONValue?, in db: Database) throws {
        let metrics = finish.metrics.filter { $0.value.isFinite }
        let json = metricsJSON ?? .object(metrics.mapValues { .double($0) })
        try db.execute(
            sql: "UPDATE runs SET status = ?, ended = ?, seconds = ?, metrics = ?, result = ?, message = ? WHERE id = ?",
            arguments: [finish.status.rawValue, finish.ended.timeIntervalSince1970, finish.seconds,
                        metrics.isEmpty && metricsJSON == nil ? nil : JSONWriter.string(json),
                        finish.result.map { JSONWriter.string($0) }, finish.message, finish.id])
        try db.execute(sql: "DELETE FROM run_metrics WHERE run_id = ?", arguments: [finish.id])
        let insert = try db.cachedStatement(sql: "INSERT INTO run_metrics (run_id, name, value) VALUES (?, ?, ?)")
        for (name, value) in metrics {
            try insert.execute(arguments: [finish.id, name, value])
        }
    }

    /// Forgets runs and their records; returns those that existed. Runs still `running` are not
    /// touched: the caller refuses them first (their writer would recreate nothing, but a live
    /// run's record must not vanish under it).
    @discardableResult
    public func deleteRuns(_ ids: [String]) throws(StoreError) -> [String] {
        try write { db in
            var deleted: [String] = []
            for id in ids {
                try db.execute(sql: "DELETE FROM runs WHERE id = ? AND status <> 'running'", arguments: [id])
                if db.changesCount > 0 { deleted.append(id) }
            }
            return deleted
        }
    }

    /// The largest run number ever given (`r<number>`, up to `RunNumber.largest`), 0 when none
    /// was: a new daemon numbers its runs from the next one, so an id is never given twice,
    /// across restarts and deletions too.
    public func largestRunNumber() throws(StoreError) -> Int {
        try read { db in
            let counted = try Int.fetchOne(db, sql: "SELECT largest FROM run_counter WHERE id = 1") ?? 0
            let kept = try Int.fetchOne(db, sql: "SELECT \(RunNumber.largestKeptSQL)") ?? 0
            return min(max(counted, kept), RunNumber.largest)
        }
    }
}
