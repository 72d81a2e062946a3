import GRDB

extension StoreSchema {
    /// "v3-models": every model in the workspace, as the bytes of its model file (the stable
    /// format `model/save` writes, version 2 today) beside the facts of a model in memory that
    /// the file does not hold, or holds only inside its JSON.
    static func registerModels(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v3-models") { db in
            try db.execute(sql: """
                CREATE TABLE models (
                    name TEXT PRIMARY KEY NOT NULL,
                    file BLOB NOT NULL,
                    trained_on TEXT NOT NULL,
                    loss TEXT NOT NULL,
                    threshold REAL,
                    threshold_tuned INTEGER NOT NULL DEFAULT 0 CHECK (threshold_tuned IN (0, 1)),
                    run TEXT,
                    stored REAL NOT NULL
                );
                PRAGMA user_version = 3;
                """)
        }
    }
}
