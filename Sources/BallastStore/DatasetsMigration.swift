import GRDB

extension StoreSchema {
    /// "v4-datasets": every dataset the workspace held, with where it came from. The data itself
    /// is a column file in `<state dir>/datasets/` (`DatasetColumnFile`), named by `file`; a row
    /// without a file keeps the provenance of a dataset that was not kept (`kept` = 0) or whose
    /// file was evicted by the size policy (`kept` = 1), so a person can make it again.
    static func registerDatasets(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v4-datasets") { db in
            try db.execute(sql: """
                CREATE TABLE datasets (
                    name TEXT PRIMARY KEY NOT NULL,
                    provenance TEXT NOT NULL,
                    origin TEXT NOT NULL,
                    derived_from TEXT,
                    missing TEXT NOT NULL,
                    fingerprint TEXT NOT NULL,
                    rows INTEGER NOT NULL,
                    features INTEGER NOT NULL,
                    file TEXT,
                    bytes INTEGER NOT NULL DEFAULT 0,
                    kept INTEGER NOT NULL CHECK (kept IN (0, 1)),
                    stored REAL NOT NULL,
                    last_used REAL NOT NULL
                );
                CREATE INDEX datasets_by_last_use ON datasets(last_used);
                PRAGMA user_version = 4;
                """)
        }
    }
}
