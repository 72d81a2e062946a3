import GRDB

/// A stored row that no longer decodes (a hand edit, another tool, a damaged file): reported as
/// damaged, never restored, and never a reason to lose the rows beside it.
public struct DamagedRow: Sendable, Equatable {
    /// SQLite's rowid, to name the row when its name cannot be read.
    public var rowid: Int64
    /// Its `name`, when that column still reads.
    public var name: String?
    /// The column file it names (datasets), when that column still reads: kept, not stray.
    public var file: String?
    /// What is wrong with it, for a person.
    public var reason: String

    /// Its name, or `row <rowid>` when the name does not read.
    public var label: String { name ?? "row \(rowid)" }

    /// The SQL condition (and its argument) for the row a drop of `name` means: the row of that
    /// name, or the row a label `row <rowid>` names (no kept name has a space, so the two never meet).
    static func condition(forName name: String) -> (sql: String, argument: any DatabaseValueConvertible) {
        if name.hasPrefix("row "), let rowid = Int64(name.dropFirst(4)) { return ("rowid = ?", rowid) }
        return ("name = ?", name)
    }

    init(_ row: Row, failure: any Error) {
        rowid = (try? row.optional("rowid", of: "") as Int64?) ?? -1
        name = try? row.optional("name", of: "") as String?
        file = try? row.optional("file", of: "") as String?
        if case let .damaged(_, reason)? = failure as? StoreError { self.reason = reason } else { self.reason = "\(failure)" }
    }
}

/// Rows of a table decoded one by one: those that read, and those that do not.
public struct StoredRows<Value: Sendable & Equatable>: Sendable, Equatable {
    public var readable: [Value] = []
    public var damaged: [DamagedRow] = []

    /// Decodes each row on its own, so one bad row costs only itself. Select `rowid` with the rows.
    init(_ rows: [Row], _ decode: (Row) throws -> Value) {
        for row in rows {
            do { readable.append(try decode(row)) } catch { damaged.append(DamagedRow(row, failure: error)) }
        }
    }
}
