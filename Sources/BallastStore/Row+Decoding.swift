import GRDB

/// Reading a stored row's columns without trapping. GRDB's non-optional subscripts
/// (`row["started"] as Double`) stop the process on a value of the wrong type; a hand-edited or
/// damaged file must instead fail the one request that read it, saying which row.
extension Row {
    /// The column's value, or `StoreError.damaged` naming `what` (`runs.started of r1`) when it
    /// is NULL or not a `T`. The path is filled in by `Store.read` / `Store.write`.
    func required<T: DatabaseValueConvertible>(_ column: String, of what: String) throws -> T {
        guard let value: T = try optional(column, of: what) else {
            throw StoreError.damaged(path: "", reason: "\(what): \(column) is missing")
        }
        return value
    }

    /// The column's value, nil for NULL, or `StoreError.damaged` when it is not a `T`.
    func optional<T: DatabaseValueConvertible>(_ column: String, of what: String) throws -> T? {
        let stored: DatabaseValue = self[column] ?? .null
        if stored.isNull { return nil }
        guard let value = T.fromDatabaseValue(stored) else {
            throw StoreError.damaged(path: "", reason: "\(what): \(column) holds \(stored), not a \(T.self)")
        }
        return value
    }
}
