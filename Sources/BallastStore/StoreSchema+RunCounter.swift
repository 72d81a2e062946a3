import GRDB

extension StoreSchema {
    /// "v5-run-counter": the largest run number ever given, kept apart from the runs themselves,
    /// so that deleting the newest run does not give its id again after a restart (models keep
    /// the id of the run that trained them). One row; `beginRun` raises it in the transaction that
    /// records the run. Starts from the largest id kept (`r<number>`, up to `RunNumber.largest`) by
    /// a run or named by a kept model (whose run may have been deleted already).
    static func registerRunCounter(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v5-run-counter") { db in
            try db.execute(sql: """
                CREATE TABLE run_counter (
                    id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
                    largest INTEGER NOT NULL
                );
                INSERT INTO run_counter (id, largest)
                    VALUES (1, \(RunNumber.largestKeptSQL));
                PRAGMA user_version = 5;
                """)
        }
    }
}

/// Run ids are `r<number>`. Numbers past `largest` (a hand-made or damaged id) are ignored when
/// the next id is chosen: counting on from them would soon overflow.
enum RunNumber {
    /// A thousand trillion runs: more than any daemon makes, far from `Int.max`.
    static let largest = 999_999_999_999_999
    /// The SQL that keeps ids `r<1 to 15 digits>` in `column`.
    static func sqlCondition(_ column: String) -> String {
        "\(column) GLOB 'r[0-9]*' AND substr(\(column), 2) NOT GLOB '*[^0-9]*' AND length(\(column)) <= 16"
    }

    /// The SQL for the largest run number a run's id or a model's `run` holds (0 when none).
    static let largestKeptSQL = "MAX(COALESCE((SELECT MAX(CAST(substr(id, 2) AS INTEGER)) FROM runs WHERE \(sqlCondition("id"))), 0), "
        + "COALESCE((SELECT MAX(CAST(substr(run, 2) AS INTEGER)) FROM models WHERE \(sqlCondition("run"))), 0))"

    /// The number of an id `r<number>`, nil for any other id or a number past `largest`.
    static func of(_ id: String) -> Int? {
        guard id.first == "r", id.count <= 16 else { return nil }
        let digits = id.dropFirst()
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let number = Int(digits),
              number <= largest else { return nil }
        return number
    }
}
