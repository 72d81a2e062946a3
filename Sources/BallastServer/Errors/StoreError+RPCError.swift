import BallastProtocol
import BallastStore
import Foundation

extension StoreError {
    /// A request whose result could not be kept fails with -32603 `store_failed`, or -32011
    /// `disk_full` when the disk holding the store is full (as a column file on a full disk is),
    /// saying what was not kept; nothing it made is left half-kept (the caller undoes what it
    /// changed in memory).
    func rpcError(keeping what: String) -> RPCError {
        let full = isDiskFull
        return RPCError(code: full ? ErrorCode.resourceLimit : ErrorCode.internalError,
                        message: "\(what) could not be kept in the store, so nothing was changed: \(self)"
                            + (full ? " Free some space on the disk of the state directory." : ""),
                        data: ["reason": full ? "disk_full" : "store_failed"])
    }

    /// SQLite's SQLITE_FULL (13, the low byte of an extended result code): the disk, or the
    /// database's page limit, is full.
    var isDiskFull: Bool {
        if case let .database(code, _) = self { return code & 0xFF == 13 }
        return false
    }
}

extension DatasetFileError {
    /// A full disk is -32011, as a full memory budget is; any other failure -32603.
    func rpcError(keeping dataset: String) -> RPCError {
        var full = false
        if case let .system(_, _, code) = self { full = code == ENOSPC || code == EDQUOT }
        return RPCError(code: full ? ErrorCode.resourceLimit : ErrorCode.internalError,
                        message: "The dataset '\(dataset)' could not be kept on disk, so nothing was changed: \(self) "
                            + "Free some space, pass \"keep\": false to hold it in memory only, or lower --state-max-bytes.",
                        data: ["name": .string(dataset), "reason": full ? "disk_full" : "store_failed"])
    }
}
