import BallastProtocol
import BallastStore
import Foundation

extension StoreError {
    /// A request whose result could not be kept fails with -32603, saying what was not kept;
    /// nothing it made is left half-kept (the caller undoes what it changed in memory).
    func rpcError(keeping what: String) -> RPCError {
        RPCError(code: ErrorCode.internalError,
                 message: "\(what) could not be kept in the store, so nothing was changed: \(self)",
                 data: ["reason": "store_failed"])
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
