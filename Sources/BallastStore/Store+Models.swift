import Foundation
import GRDB

extension Store {
    /// Keeps a model under its name, replacing any of that name, in one synced commit: once this
    /// returns, a kill -9 or a power cut loses nothing of it.
    public func keepModel(_ model: StoredModel) throws(StoreError) {
        try write { db in
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO models (name, file, trained_on, loss, threshold, threshold_tuned, run, stored)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [model.name, Data(model.file), model.trainedOn, model.loss, model.threshold,
                            model.thresholdTuned ? 1 : 0, model.run, model.stored.timeIntervalSince1970])
        }
    }

    /// Forgets the model of that name (a damaged one by its label `row <rowid>` too); nothing
    /// happens when there is none.
    public func forgetModel(named name: String) throws(StoreError) {
        let row = DamagedRow.condition(forName: name)
        try write { db in try db.execute(sql: "DELETE FROM models WHERE \(row.sql)", arguments: [row.argument]) }
    }

    /// Every kept model, by name; a row that no longer decodes is returned as damaged, the others read.
    public func models() throws(StoreError) -> StoredRows<StoredModel> {
        try read { db in
            StoredRows(try Row.fetchAll(db, sql: "SELECT rowid, * FROM models ORDER BY name"), StoredModel.init(row:))
        }
    }
}

extension StoredModel {
    /// A row of `models`; a column of the wrong type fails with `StoreError.damaged`, never a trap.
    init(row: Row) throws {
        let name: String = try row.required("name", of: "a row of models")
        let what = "models row of \(name)"
        let file: Data = try row.required("file", of: what)
        let tuned: Int = try row.required("threshold_tuned", of: what)
        let stored: Double = try row.required("stored", of: what)
        self.init(name: name, file: [UInt8](file), trainedOn: try row.required("trained_on", of: what),
                  loss: try row.required("loss", of: what), threshold: try row.optional("threshold", of: what),
                  thresholdTuned: tuned != 0, run: try row.optional("run", of: what),
                  stored: Date(timeIntervalSince1970: stored))
    }
}
