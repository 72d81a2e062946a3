import Foundation
import GRDB

/// Why the store refused to open or failed an operation. Each case says, for a person, what is
/// wrong and what to do; `path` is always the database file, so the message can be acted on.
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file was written by a newer Ballast: its `user_version` or its applied migrations are
    /// beyond what this build knows. It was opened read-only and left untouched.
    case newerVersion(path: String, userVersion: Int, unknownMigrations: [String])
    /// The file is not an SQLite database, or SQLite reports it damaged. Left untouched.
    case damaged(path: String, reason: String)
    /// The state directory or the database could not be opened.
    case cannotOpen(path: String, reason: String)
    /// An event to append has no `run` or no `seq`: only numbered records of a run are kept.
    case unnumberedEvent(kind: String)
    /// A stored event no longer decodes as a `RunEvent` (a bug, or a hand-edited file).
    case undecodableEvent(run: String, seq: Int, reason: String)
    /// The store was closed (the daemon is stopping): nothing more can be read or written.
    case closed(path: String)
    /// Any other SQLite failure, with its result code and message.
    case database(code: Int32, message: String)

    public var description: String {
        switch self {
        case let .newerVersion(path, userVersion, unknown):
            let what = unknown.isEmpty ? "format version \(userVersion)" : "migrations \(unknown.joined(separator: ", "))"
            return "The store at \(path) was written by a newer Ballast (\(what)); this daemon knows format version "
                + "\(Store.formatVersion). It was not changed. Upgrade Ballast, or start with another --state-dir."
        case let .damaged(path, reason):
            return "The store at \(path) is damaged or is not a Ballast store (\(reason)). It was not changed. "
                + "Move it aside, or start with another --state-dir."
        case let .cannotOpen(path, reason):
            return "The store at \(path) could not be opened: \(reason)."
        case let .unnumberedEvent(kind):
            return "A '\(kind)' event without 'run' and 'seq' cannot be kept: only a run's numbered records are stored."
        case let .undecodableEvent(run, seq, reason):
            return "Event \(seq) of run \(run) in the store no longer decodes: \(reason)."
        case let .closed(path):
            return "The store at \(path) is closed (the daemon is stopping): nothing more is read from it or kept in it."
        case let .database(code, message):
            return "The store failed (SQLite \(code)): \(message)."
        }
    }
}

extension StoreError {
    /// Maps what GRDB threw to a store error, keeping SQLite's code and message.
    static func from(_ error: any Error, path: String) -> StoreError {
        if let error = error as? StoreError {
            // Rows decoded inside a read do not know the file: name it here.
            if case let .damaged("", reason) = error { return .damaged(path: path, reason: reason) }
            return error
        }
        if let error = error as? DatabaseError {
            switch error.resultCode {
            case .SQLITE_NOTADB, .SQLITE_CORRUPT:
                return .damaged(path: path, reason: error.message ?? "\(error.resultCode)")
            case .SQLITE_MISUSE:
                // What GRDB reports for a connection already closed (as "out of memory").
                return .closed(path: path)
            case .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_READONLY:
                return .cannotOpen(path: path, reason: error.message ?? "\(error.resultCode)")
            default:
                return .database(code: error.extendedResultCode.rawValue, message: error.message ?? "\(error)")
            }
        }
        return .database(code: 0, message: "\(error)")
    }
}
