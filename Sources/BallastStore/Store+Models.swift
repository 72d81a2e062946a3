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

    /// Forgets the model of that name; nothing happens when there is none.
    public func forgetModel(named name: String) throws(StoreError) {
        try write { db in try db.execute(sql: "DELETE FROM models WHERE name = ?", arguments: [name]) }
    }

    /// Every kept model, by name.
    public func models() throws(StoreError) -> [StoredModel] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM models ORDER BY name").map { row in
                StoredModel(name: row["name"], file: [UInt8](row["file"] as Data), trainedOn: row["trained_on"],
                            loss: row["loss"], threshold: row["threshold"], thresholdTuned: (row["threshold_tuned"] as Int) != 0,
                            run: row["run"], stored: Date(timeIntervalSince1970: row["stored"]))
            }
        }
    }
}
