import BallastProtocol
import BallastStore
import Foundation

/// Between `Models` and the store: a model is kept as its model file (`ModelFile`, the stable
/// format `model/save` writes) plus what the file does not say (whether its threshold was
/// tuned, the run that trained it). Only a daemon with a state directory has one.
struct ModelKeeper: Sendable {
    let store: Store

    /// The row to keep for `entry`; encoding is the slow part, done before any lock.
    func record(_ name: String, _ entry: Models.Entry) throws(RPCError) -> StoredModel {
        let file: [UInt8]
        do { file = try ModelFile.encode(entry) } catch {
            throw RPCError(code: ErrorCode.internalError, message: "The model '\(name)' could not be encoded to be kept: \(error).")
        }
        return StoredModel(name: name, file: file, trainedOn: entry.trainedOn, loss: entry.loss.rawValue,
                           threshold: entry.threshold, thresholdTuned: entry.thresholdTuned, run: entry.run)
    }

    func keep(_ record: StoredModel) throws(RPCError) {
        do { try store.keepModel(record) } catch { throw error.rpcError(keeping: "The model '\(record.name)'") }
    }

    func forget(_ name: String) throws(RPCError) {
        do { try store.forgetModel(named: name) } catch { throw error.rpcError(keeping: "Dropping the model '\(name)'") }
    }

    /// Puts every kept model back into `models` under its name. A model whose row or file no
    /// longer decodes, or that no longer fits the memory budget, is logged, listed by `model/list`
    /// under `unavailable` (so no unnamed training takes its name), and left in the store for a
    /// later start; the others come back. Returns the names restored and, per name not restored, why.
    func restore(into models: Models, log: Log) -> (restored: [String], failed: [String: String]) {
        let rows: StoredRows<StoredModel>
        do { rows = try store.models() } catch {
            log(.error, "The kept models could not be read: \(error)")
            return ([], [:])
        }
        var restored: [String] = [], failed: [String: String] = [:], unavailable: [ModelUnavailable] = []
        for row in rows.damaged {
            let message = "Its row in the store \(store.path) no longer reads: \(row.reason)."
            failed[row.label] = message
            unavailable.append(ModelUnavailable(name: row.label, reason: .damaged, message: message))
            log(.warning, "The model '\(row.label)' was kept but did not come back: \(message)")
        }
        for row in rows.readable {
            do throws(RPCError) {
                var entry = try ModelFile.decode(row.file, path: "the store's model '\(row.name)'")
                entry.thresholdTuned = row.thresholdTuned
                entry.run = row.run
                try models.restore(row.name, entry)
                restored.append(row.name)
            } catch {
                failed[row.name] = error.message
                unavailable.append(ModelUnavailable(name: row.name, reason: error.code == ErrorCode.resourceLimit ? .overBudget : .damaged,
                                                    message: error.message))
                log(.warning, "The model '\(row.name)' was kept but did not come back: \(error.message)")
            }
        }
        models.setUnavailable(unavailable)
        return (restored, failed)
    }
}
