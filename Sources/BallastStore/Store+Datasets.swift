import BallastProtocol
import Foundation
import GRDB

extension Store {
    /// Records datasets, replacing rows of the same names, in one synced commit. Returns the
    /// column files the replaced rows named that no row names any more: the caller removes them
    /// (after the commit, so a crash never leaves a row naming a removed file).
    @discardableResult
    public func keepDatasets(_ datasets: [StoredDataset]) throws(StoreError) -> [String] {
        guard !datasets.isEmpty else { return [] }
        return try write { db in
            var replacedFiles: [String] = []
            for dataset in datasets {
                if let old = try String.fetchOne(db, sql: "SELECT file FROM datasets WHERE name = ?", arguments: [dataset.name]),
                   old != dataset.file {
                    replacedFiles.append(old)
                }
                try db.execute(
                    sql: """
                        INSERT OR REPLACE INTO datasets (name, provenance, origin, derived_from, missing, fingerprint, rows,
                                                         features, file, bytes, kept, stored, last_used)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [dataset.name, JSONWriter.string(dataset.provenance), dataset.origin, dataset.derivedFrom,
                                JSONWriter.string(.array(dataset.missing.map { .int(Int64($0)) })), dataset.fingerprint,
                                dataset.rows, dataset.features, dataset.file, dataset.bytes, dataset.kept ? 1 : 0,
                                dataset.stored.timeIntervalSince1970, dataset.lastUsed.timeIntervalSince1970])
            }
            let stillNamed = try Set(String.fetchAll(db, sql: "SELECT file FROM datasets WHERE file IS NOT NULL"))
            return replacedFiles.filter { !stillNamed.contains($0) }
        }
    }

    /// Forgets a dataset's row (a damaged one by its label `row <rowid>` too); returns the column
    /// file it named, when that reads, for the caller to remove.
    @discardableResult
    public func forgetDataset(named name: String) throws(StoreError) -> String? {
        let row = DamagedRow.condition(forName: name)
        return try write { db in
            let file = try? String.fetchOne(db, sql: "SELECT file FROM datasets WHERE \(row.sql)", arguments: [row.argument])
            try db.execute(sql: "DELETE FROM datasets WHERE \(row.sql)", arguments: [row.argument])
            return file
        }
    }

    /// Every dataset row, by name; a row that no longer decodes is returned as damaged, the others read.
    public func datasets() throws(StoreError) -> StoredRows<StoredDataset> {
        try read { db in
            StoredRows(try Row.fetchAll(db, sql: "SELECT rowid, * FROM datasets ORDER BY name"), StoredDataset.init(row:))
        }
    }

    /// Moves `last_used` forward to the times given (never back).
    public func recordDatasetUse(_ times: [String: Date]) throws(StoreError) {
        guard !times.isEmpty else { return }
        try write { db in
            for (name, time) in times {
                try db.execute(sql: "UPDATE datasets SET last_used = max(last_used, ?) WHERE name = ?",
                               arguments: [time.timeIntervalSince1970, name])
            }
        }
    }

    /// The size policy: while the column files together hold more than `maxBytes`, the least
    /// recently used loses its file (its row, provenance and all, stays: `isEvicted`). `protected`
    /// names are evicted last. Returns the rows evicted, each still naming the file to remove. A
    /// damaged row is left alone (it is reported when the datasets are restored).
    public func evictDatasets(toFit maxBytes: Int, protecting protected: Set<String> = []) throws(StoreError) -> [StoredDataset] {
        try write { db in
            let withFiles = StoredRows(try Row.fetchAll(db, sql: "SELECT rowid, * FROM datasets WHERE file IS NOT NULL ORDER BY last_used, name"),
                                       StoredDataset.init(row:)).readable
            // Saturating: sizes are bounded when decoded, but a sum must never trap.
            var total = withFiles.reduce(0) { total, dataset in
                let (sum, overflow) = total.addingReportingOverflow(dataset.bytes)
                return overflow ? .max : sum
            }
            guard total > maxBytes else { return [] }
            let order = withFiles.filter { !protected.contains($0.name) } + withFiles.filter { protected.contains($0.name) }
            var evicted: [StoredDataset] = []
            for dataset in order where total > maxBytes {
                try db.execute(sql: "UPDATE datasets SET file = NULL, bytes = 0 WHERE name = ?", arguments: [dataset.name])
                total = max(0, total - dataset.bytes)
                evicted.append(dataset)
            }
            return evicted
        }
    }
}

extension StoredDataset {
    /// The largest `bytes` a row may hold (1 PiB): more is a damaged row, not a file.
    static let mostBytes = 1 << 50

    /// A row of `datasets`; a column of the wrong type fails with `StoreError.damaged`, never a trap.
    init(row: Row) throws {
        let name: String = try row.required("name", of: "a row of datasets")
        let what = "datasets row of \(name)"
        func json(_ column: String) throws -> JSONValue {
            do { return try JSONParser.parse(try row.required(column, of: what) as String) } catch let error as StoreError {
                throw error
            } catch {
                throw StoreError.damaged(path: "", reason: "\(what): \(column) is not JSON (\(error))")
            }
        }
        let missing = try json("missing").arrayValue?.compactMap { $0.intValue.map(Int.init) } ?? []
        let kept: Int = try row.required("kept", of: what)
        let stored: Double = try row.required("stored", of: what)
        let lastUsed: Double = try row.required("last_used", of: what)
        let bytes: Int = try row.required("bytes", of: what)
        guard (0...StoredDataset.mostBytes).contains(bytes) else {
            throw StoreError.damaged(path: "", reason: "\(what): bytes holds \(bytes), not the size of a column file")
        }
        self.init(name: name, provenance: try json("provenance"), origin: try row.required("origin", of: what),
                  derivedFrom: try row.optional("derived_from", of: what), missing: missing,
                  fingerprint: try row.required("fingerprint", of: what), rows: try row.required("rows", of: what),
                  features: try row.required("features", of: what), file: try row.optional("file", of: what),
                  bytes: bytes, kept: kept != 0,
                  stored: Date(timeIntervalSince1970: stored), lastUsed: Date(timeIntervalSince1970: lastUsed))
    }
}
