import BallastML
import BallastProtocol
import BallastStore
import Foundation

/// Between `Workspace` and the store for datasets: each kept dataset's data is a column file in
/// `<state dir>/datasets/` (`DatasetColumnFile`), and every dataset made, kept or not, has a row
/// with its provenance and fingerprint. Only a daemon with a state directory has one.
///
/// The size policy (`--state-max-bytes`) bounds the column files together: past it, the least
/// recently used lose their files (they stay in memory until the daemon stops, and their rows
/// stay, so they are reported at the next start with how to make them again).
struct DatasetKeeper: Sendable {
    let store: Store
    let folder: DatasetFolder
    /// False with `--no-keep-datasets`: nothing is kept, whatever a request asks.
    let keepsDatasets: Bool
    /// `--state-max-bytes`: the most the column files may hold together; nil for no limit.
    let maxBytes: Int?
    let log: Log

    /// A column file written for a dataset about to be stored; `file` is nil when the dataset was
    /// to be kept but alone exceeds the size policy (it is recorded as evicted at once).
    struct Written {
        var file: String?
        var bytes: Int
    }

    /// Whether a request's `keep` keeps what it makes on this daemon.
    func keeps(_ asked: Bool?) -> Bool { keepsDatasets && (asked ?? true) }

    /// Writes the column file of each entry, all or none: on a failure the files already written
    /// are removed and the error says which dataset could not be kept.
    func writeFiles(_ entries: [(name: String, entry: Workspace.Entry)]) throws(RPCError) -> [String: Written] {
        var written: [String: Written] = [:]
        for (name, entry) in entries {
            let size = DatasetColumnFile.byteCount(of: entry.dataset, fingerprint: entry.fingerprint)
            if let maxBytes, size > maxBytes {
                log(.warning, "The dataset '\(name)' needs \(MemoryBudget.megabytes(size)) on disk, more than --state-max-bytes (\(MemoryBudget.megabytes(maxBytes))) allows: it is held in memory only, and only its provenance is kept.")
                written[name] = Written(file: nil, bytes: 0)
                continue
            }
            let file = DatasetFolder.newFileName(for: name)
            do {
                let bytes = try DatasetColumnFile.write(entry.dataset, fingerprint: entry.fingerprint, named: file, in: folder)
                written[name] = Written(file: file, bytes: bytes)
            } catch {
                discard(written)
                throw error.rpcError(keeping: name)
            }
        }
        return written
    }

    /// Where a disk load that will be kept writes its row file: a new name in the datasets folder,
    /// so the file the load streams is itself what is kept (a disk dataset is never copied into
    /// a column file).
    func newRowFile(for name: String) throws(RPCError) -> (file: String, path: String) {
        let file = DatasetFolder.newRowFileName(for: name)
        do { return (file, try folder.pathOfFile(named: file)) } catch { throw error.rpcError(keeping: name) }
    }

    /// The row files of kept disk datasets among `entries`, already written by their loads, as
    /// `writeFiles` reports column files. One alone larger than `--state-max-bytes` is not kept:
    /// its file is unlinked at once (the dataset reads on from its mapping until it goes).
    func adoptRowFiles(_ entries: [(name: String, entry: Workspace.Entry)]) -> [String: Written] {
        var adopted: [String: Written] = [:]
        for (name, entry) in entries {
            guard let file = entry.keptRowFile else { continue }
            let size = folder.size(ofEntry: file) ?? 0
            if let maxBytes, size > maxBytes {
                log(.warning, "The disk dataset '\(name)' needs \(MemoryBudget.megabytes(size)) on disk, more than --state-max-bytes (\(MemoryBudget.megabytes(maxBytes))) allows: it is not kept, and only its provenance is.")
                remove(file)
                adopted[name] = Written(file: nil, bytes: 0)
            } else {
                adopted[name] = Written(file: file, bytes: size)
            }
        }
        return adopted
    }

    /// Removes column files written for datasets that were not stored after all.
    func discard(_ written: [String: Written]) {
        remove(files: written.values.compactMap(\.file))
    }

    /// Removes dataset files of this folder by name (a file already gone is no error).
    func remove(files: [String]) {
        for file in files { remove(file) }
    }

    /// Records the datasets about to be stored, replacing rows of their names, in one synced
    /// commit. Returns the column files the replaced rows named, for `settle` to remove once the
    /// datasets are in memory.
    ///
    /// - Throws: -32603 `store_failed` (-32011 `disk_full` for a full disk) when the store fails;
    ///   the caller then stores nothing and discards `written`.
    func record(_ entries: [(name: String, entry: Workspace.Entry)], madeBy provenance: DatasetProvenance,
                written: [String: Written], sourceFingerprints: [String: String]) throws(RPCError) -> [String] {
        let now = Date()
        let rows = entries.map { name, entry in
            var made = provenance.json(fingerprints: sourceFingerprints)
            if case .object(var fields) = made {
                // The file a load read, as it was: a restart keeps telling whether it changed since.
                if let stamp = entry.loadedFile { fields["file"] = stamp.json }
                // A view is never kept: said at the next start as why it did not come back.
                if entry.dataset.features.isView { fields["view"] = true }
                made = .object(fields)
            }
            return StoredDataset(name: name, provenance: made, origin: entry.origin.rawValue,
                                 derivedFrom: entry.derivedFrom, missing: entry.missingPerFeature, fingerprint: entry.fingerprint,
                                 rows: entry.dataset.rowCount, features: entry.dataset.featureCount, file: written[name]?.file,
                                 bytes: written[name]?.bytes ?? 0, kept: written[name] != nil, stored: now, lastUsed: now)
        }
        do { return try store.keepDatasets(rows) } catch {
            let names = entries.map { "'\($0.name)'" }.joined(separator: ", ")
            throw error.rpcError(keeping: entries.count == 1 ? "The dataset \(names)" : "The datasets \(names)")
        }
    }

    /// After datasets are stored: removes the files their replaced rows named, then applies the
    /// size policy (the ones just stored are evicted last).
    func settle(removing replacedFiles: [String], lastUsed: [String: Date], protecting protected: Set<String>) {
        for file in replacedFiles { remove(file) }
        applySizePolicy(lastUsed: lastUsed, protecting: protected)
    }

    /// Evicts the least recently used column files while they hold more than `maxBytes`.
    func applySizePolicy(lastUsed: [String: Date], protecting protected: Set<String> = []) {
        guard let maxBytes else { return }
        do {
            try store.recordDatasetUse(lastUsed)
            for evicted in try store.evictDatasets(toFit: maxBytes, protecting: protected) {
                if let file = evicted.file { remove(file) }
                log(.info, "Evicted the column file of the dataset '\(evicted.name)' (\(MemoryBudget.megabytes(evicted.bytes))), the least recently used, to stay within --state-max-bytes (\(MemoryBudget.megabytes(maxBytes))); its provenance is kept, and it stays in memory until the daemon stops.")
            }
        } catch {
            log(.error, "The size policy of the dataset files could not be applied: \(error)")
        }
    }

    /// Forgets a dataset about to be dropped: its row, then its file.
    ///
    /// - Throws: -32603 `store_failed` (-32011 `disk_full`) when the store cannot forget it; the
    ///   caller then drops nothing, so it never comes back after a restart it was dropped before.
    func forget(_ name: String) throws(RPCError) {
        let file: String?
        do { file = try store.forgetDataset(named: name) } catch { throw error.rpcError(keeping: "Dropping the dataset '\(name)'") }
        if let file { remove(file) }
    }

    /// Moves each dataset's `last_used` forward (at stop, so the order survives the restart).
    func recordUse(_ lastUsed: [String: Date]) {
        do { try store.recordDatasetUse(lastUsed) } catch {
            log(.warning, "When the datasets were last used could not be recorded: \(error)")
        }
    }

    private func remove(_ file: String) {
        do { try folder.remove(named: file) } catch {
            log(.warning, "A dataset file that is no longer needed could not be removed: \(error)")
        }
    }
}
