import GRDB

/// Every schema change, registered in order from the first version on. A migration once shipped
/// is never edited: a change is a new migration, and `Store.formatVersion` follows the last one.
enum StoreSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            // JSON columns hold text exactly as JSONWriter wrote it; SQLite's json_* functions
            // can query it (run/list filters), and a person can read it with `sqlite3`.
            try db.execute(sql: """
                CREATE TABLE runs (
                    id TEXT PRIMARY KEY NOT NULL,
                    method TEXT NOT NULL,
                    params TEXT NOT NULL,
                    config TEXT,
                    status TEXT NOT NULL
                        CHECK (status IN ('running', 'completed', 'cancelled', 'failed', 'interrupted')),
                    started REAL NOT NULL,
                    ended REAL,
                    metrics TEXT
                );
                CREATE INDEX runs_by_status ON runs(status);
                CREATE TABLE run_events (
                    run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                    seq INTEGER NOT NULL,
                    body TEXT NOT NULL,
                    PRIMARY KEY (run_id, seq)
                ) WITHOUT ROWID;
                PRAGMA user_version = 1;
                """)
        }
        registerRuns(in: &migrator)
        registerModels(in: &migrator)
        registerDatasets(in: &migrator)
        registerRunCounter(in: &migrator)
        return migrator
    }
}
