import GRDB

/// Changes a stopped daemon's store behind its back, as a hand edit or another tool would.
enum DamagedStore {
    static func execute(_ sql: String, path: String) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in try db.execute(sql: sql) }
        try queue.close()
    }
}
