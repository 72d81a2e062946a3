import BallastProtocol
import Foundation
import GRDB
import Synchronization

/// The daemon's persistent workspace: runs and their events, models, and datasets' provenance in
/// `<state dir>/ballast.sqlite`, through a GRDB `DatabasePool` in WAL mode (readers run beside the
/// one writer, and a reader never waits for a batch being written); datasets' data as column
/// files in `<state dir>/datasets/` (`datasetFolder`).
///
/// - Important: one daemon per state directory. The store does not lock the directory itself;
///   whoever opens it (ballastd) must hold the directory lock first.
public final class Store: Sendable {
    /// The `user_version` the last known migration leaves. A file with a greater one, or with a
    /// migration this build does not know, is refused without being written to.
    public static let formatVersion = 5
    public static let fileName = "ballast.sqlite"

    public let path: String
    /// The folder the store keeps its files in; nil for a store held in memory only.
    public let directory: URL?
    /// The runs that were `running` when the store was opened: the previous daemon stopped
    /// without finishing them, and they are now `interrupted`.
    public let interruptedAtOpen: [String]
    /// A `DatabasePool` on disk; a `DatabaseQueue` for a store in memory.
    let pool: any DatabaseWriter
    /// Set by the first `close()`.
    private let closed = Mutex(false)
    /// `<state dir>/datasets/`, where kept datasets' column files are; nil for a store in memory,
    /// which writes no file at all.
    public let datasetFolder: DatasetFolder?

    /// Whether what is kept survives the process (false for `inMemory()`).
    public var isPersistent: Bool { directory != nil }

    /// A store held in memory only, for an ephemeral daemon: runs are listed, described and
    /// compared as on disk, and everything is gone when the process ends.
    public static func inMemory() throws(StoreError) -> Store {
        do {
            var configuration = Configuration()
            configuration.label = "ballast.store.memory"
            let queue = try DatabaseQueue(configuration: configuration)
            try StoreSchema.migrator.migrate(queue)
            return Store(pool: queue)
        } catch {
            throw StoreError.from(error, path: ":memory:")
        }
    }

    private init(pool: any DatabaseWriter) {
        self.pool = pool
        self.path = ":memory:"
        self.directory = nil
        self.interruptedAtOpen = []
        self.datasetFolder = nil
    }

    /// Opens (creating when missing) the store in `directory`, refusing one written by a newer
    /// Ballast or a damaged one, applies the pending migrations, and marks runs left `running`
    /// as `interrupted`.
    public init(directory: URL) throws(StoreError) {
        let path = directory.appendingPathComponent(Self.fileName).path
        self.path = path
        self.directory = directory
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw .cannotOpen(path: directory.path, reason: "\(error.localizedDescription)")
        }
        let migrator = StoreSchema.migrator
        let existed = FileManager.default.fileExists(atPath: path)
        try StoreFileMode.secure(path: path)
        if existed {
            try Self.refuseIfNewer(path: path, migrator: migrator)
        }
        var configuration = Configuration()
        configuration.label = "ballast.store"
        do {
            let pool = try DatabasePool(path: path, configuration: configuration)
            // GRDB sets the pool's writer to synchronous = NORMAL, which survives a kill -9 but
            // may lose the last commits to a power cut or an OS crash. An acknowledged run must
            // survive a reboot too, and batches are few (a commit costs about 0.35 ms more
            // here), so the writer syncs every commit. Set after opening: GRDB's WAL set-up runs
            // after `prepareDatabase` and would overwrite it there.
            try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
            try migrator.migrate(pool)
            self.pool = pool
        } catch {
            throw StoreError.from(error, path: path)
        }
        interruptedAtOpen = try Self.markInterruptedRuns(in: pool, path: path)
        do { datasetFolder = try DatasetFolder(in: directory.path) } catch {
            throw .cannotOpen(path: directory.path + "/" + DatasetFolder.folderName, reason: "\(error)")
        }
    }

    /// Looks at an existing file through a read-only connection (SQLite itself then forbids
    /// any write) and throws when it was written by a newer Ballast or is not a database.
    ///
    /// GRDB's `migrate` alone would not do: it ignores applied migrations it does not know and
    /// would run ours beside them.
    private static func refuseIfNewer(path: String, migrator: DatabaseMigrator) throws(StoreError) {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.label = "ballast.store.inspect"
        let found: (userVersion: Int, unknown: [String])
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            defer { try? queue.close() }
            found = try queue.read { db in
                let userVersion = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
                guard try db.tableExists("grdb_migrations") else { return (userVersion, []) }
                let known = Set(migrator.migrations)
                let unknown = try migrator.appliedIdentifiers(db).subtracting(known).sorted()
                return (userVersion, unknown)
            }
        } catch {
            throw StoreError.from(error, path: path)
        }
        if found.userVersion > formatVersion || !found.unknown.isEmpty {
            throw .newerVersion(path: path, userVersion: found.userVersion, unknownMigrations: found.unknown)
        }
    }

    /// Every run still `running` becomes `interrupted`, with `ended` left empty (its real end is
    /// unknown; its last kept event says how far it got). Returns their ids. Called once, by the
    /// initializer, before any run of this daemon begins: later, it would interrupt live runs.
    private static func markInterruptedRuns(in pool: any DatabaseWriter, path: String) throws(StoreError) -> [String] {
        do {
            return try pool.write { db in
                let ids = try String.fetchAll(db, sql: "SELECT id FROM runs WHERE status = 'running' ORDER BY started")
                try db.execute(sql: "UPDATE runs SET status = 'interrupted' WHERE status = 'running'")
                return ids
            }
        } catch {
            throw StoreError.from(error, path: path)
        }
    }

    /// The records of a run with `seq` greater than `since`, in order, at most `limit` of them.
    public func events(run id: String, since: Int = 0, limit: Int = Int.max) throws(StoreError) -> [RunEvent] {
        let rows = try read { db in
            try Row.fetchAll(db, sql: "SELECT seq, body FROM run_events WHERE run_id = ? AND seq > ? ORDER BY seq LIMIT ?",
                             arguments: [id, since, limit])
                .map { row in
                    let what = "run_events row of \(id)"
                    return (seq: try row.required("seq", of: what) as Int, body: try row.required("body", of: what) as String)
                }
        }
        var events: [RunEvent] = []
        events.reserveCapacity(rows.count)
        for row in rows {
            do {
                events.append(try JSONParser.parse(row.body).decode(as: RunEvent.self))
            } catch {
                throw .undecodableEvent(run: id, seq: row.seq, reason: "\(error)")
            }
        }
        return events
    }

    /// Folds the write-ahead log into `ballast.sqlite` and closes the pool, so that after a clean
    /// stop the one file is the whole store (a person may copy it alone). GRDB closes the readers
    /// last, and a read-only connection cannot fold the log in, hence the explicit checkpoint; a
    /// reader still busy makes it fail, and the log is then folded in at the next open instead.
    /// Later calls throw; a second close does nothing (GRDB would hand SQLite a closed handle).
    public func close() throws(StoreError) {
        let first = closed.withLock { closed in
            defer { closed = true }
            return !closed
        }
        guard first else { return }
        if isPersistent { _ = try? pool.writeWithoutTransaction { db in try db.checkpoint(.truncate) } }
        do { try pool.close() } catch { throw StoreError.from(error, path: path) }
    }

    func write<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do { return try pool.write(body) } catch { throw StoreError.from(error, path: path) }
    }

    func read<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do { return try pool.read(body) } catch { throw StoreError.from(error, path: path) }
    }
}
