import GRDB

extension StoreSchema {
    /// "v2-runs": what `run/list`, `run/describe` and `run/compare` need to find and compare runs
    /// without reading their events: the model a run produced, its model type, loss, duration and
    /// failure message, the reply it gave, the datasets it read (with their fingerprints), and its
    /// final metrics as rows (`run_metrics`), so that a list filters and sorts by any metric in SQL.
    ///
    /// Runs kept by a v1 store get what can be recovered from them: their datasets from the params
    /// as sent (no fingerprint: it was not taken), and their metrics from the `metrics` column.
    static func registerRuns(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v2-runs") { db in
            try db.execute(sql: """
                ALTER TABLE runs ADD COLUMN model TEXT;
                ALTER TABLE runs ADD COLUMN model_type TEXT;
                ALTER TABLE runs ADD COLUMN loss TEXT;
                ALTER TABLE runs ADD COLUMN seconds REAL;
                ALTER TABLE runs ADD COLUMN message TEXT;
                ALTER TABLE runs ADD COLUMN result TEXT;
                CREATE INDEX runs_by_started ON runs(started);
                CREATE INDEX runs_by_model ON runs(model);
                CREATE TABLE run_datasets (
                    run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                    role TEXT NOT NULL,
                    name TEXT NOT NULL,
                    fingerprint TEXT,
                    PRIMARY KEY (run_id, role)
                ) WITHOUT ROWID;
                CREATE INDEX run_datasets_by_name ON run_datasets(name);
                CREATE TABLE run_metrics (
                    run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                    name TEXT NOT NULL,
                    value REAL NOT NULL,
                    PRIMARY KEY (run_id, name)
                ) WITHOUT ROWID;
                CREATE INDEX run_metrics_by_name ON run_metrics(name, value);
                """)
            // The datasets of v1 runs, from the params fields that name them in each method.
            for (method, roles) in [("model/train", ["dataset", "validation"]),
                                    ("experiment/compare", ["train", "test", "validation"]),
                                    ("experiment/sweep", ["dataset"])] {
                for role in roles {
                    try db.execute(sql: """
                        INSERT INTO run_datasets (run_id, role, name)
                        SELECT id, ?, json_extract(params, '$.' || ?) FROM runs
                        WHERE method = ? AND json_valid(params) AND json_type(params, '$.' || ?) = 'text'
                        """, arguments: [role, role, method, role])
                }
            }
            try db.execute(sql: """
                INSERT INTO run_metrics (run_id, name, value)
                SELECT runs.id, metric.key, metric.value FROM runs, json_each(runs.metrics) AS metric
                WHERE runs.metrics IS NOT NULL AND json_valid(runs.metrics) AND json_type(runs.metrics) = 'object'
                    AND metric.type IN ('integer', 'real');
                UPDATE runs SET model = json_extract(params, '$.name')
                WHERE method = 'model/train' AND json_valid(params) AND json_type(params, '$.name') = 'text';
                PRAGMA user_version = 2;
                """)
        }
    }
}
