import BallastML
import BallastProtocol
import BallastStore
import Foundation

extension DatasetKeeper {
    /// What came back at start, and what did not (with why and how to make it again).
    struct Restored {
        var names: [String] = []
        var unavailable: [DatasetUnavailable] = []
    }

    /// Puts every kept dataset back into `workspace` from its column file, or a disk dataset from
    /// its row file (mapped, never a CSV parsed), checked against its fingerprint. A dataset not
    /// kept, evicted, or whose file is missing, damaged or unreadable, whose row no longer
    /// decodes, or that no longer fits the memory budget (judged from its header, before it is
    /// read), is reported, and the others load. Files in the folder that no row names (left by a crash between writing a file and
    /// recording it) are removed; a damaged row's file, when its name reads, is left.
    func restore(into workspace: Workspace) -> Restored {
        let rows: StoredRows<StoredDataset>
        do { rows = try store.datasets() } catch {
            log(.error, "The kept datasets could not be read from the store: \(error)")
            return Restored()
        }
        removeStrayFiles(named: Set(rows.readable.compactMap(\.file) + rows.damaged.compactMap(\.file)))
        var restored = Restored()
        for row in rows.damaged {
            restored.unavailable.append(DatasetUnavailable(
                name: row.label, reason: .damaged,
                message: "Its row in the store \(store.path) no longer reads: \(row.reason). Make it again as you first did."))
        }
        for row in rows.readable {
            let remake = DatasetProvenance.howToMakeAgain(row.provenance)
            func unavailable(_ reason: DatasetUnavailableName, _ why: String) {
                restored.unavailable.append(DatasetUnavailable(name: row.name, reason: reason, message: "\(why) \(remake)",
                                                               provenance: row.provenance, fingerprint: row.fingerprint))
            }
            guard row.kept else {
                unavailable(.notKept, row.provenance["view"] == true
                    ? "It was a view of a disk dataset (a row map over that dataset's row file), and views are not kept across restarts."
                    : "It was made with \"keep\": false or on a daemon started with --no-keep-datasets.")
                continue
            }
            guard let file = row.file else {
                unavailable(.evicted, "Its file was evicted (or never kept) to stay within --state-max-bytes.")
                continue
            }
            do throws(DatasetFileError) {
                // Weighed against the budget from the header before anything is allocated: a
                // lowered --memory-budget reports the dataset over_budget instead of reading it.
                let onDisk = DatasetFolder.isRowFileName(file)
                let needed = onDisk ? try DatasetRowFile.residentBytesWithoutIDs(path: folder.pathOfFile(named: file))
                                    : try DatasetColumnFile.header(named: file, in: folder).bytesWithoutIDs
                do throws(RPCError) {
                    try workspace.budget.checkRoom(needed, doing: "Restoring the dataset '\(row.name)'")
                } catch {
                    unavailable(.overBudget, "It no longer fits in the memory budget: \(error.message) Its file is kept: restart the daemon with a larger --memory-budget to bring it back.")
                    continue
                }
                let (dataset, fingerprint) = onDisk ? try readRowFile(named: file) : try DatasetColumnFile.read(named: file, in: folder)
                guard fingerprint == row.fingerprint else {
                    throw DatasetFileError.damaged(file: folder.path + "/" + file, reason: "it holds other data than the store recorded")
                }
                let missing = row.missing.count == dataset.featureCount ? row.missing : Array(repeating: 0, count: dataset.featureCount)
                var entry = Workspace.Entry(dataset: dataset, origin: DatasetOriginName(rawValue: row.origin) ?? .loaded,
                                            missingPerFeature: missing, derivedFrom: row.derivedFrom)
                entry.fingerprint = fingerprint
                entry.provenance = row.provenance
                entry.keptRowFile = onDisk ? file : nil
                entry.loadedFile = FileStamp(json: row.provenance["file"])
                do throws(RPCError) {
                    // The exact check, ids counted.
                    try workspace.restore(row.name, entry, lastUsed: row.lastUsed)
                    restored.names.append(row.name)
                } catch {
                    unavailable(.overBudget, "It no longer fits in the memory budget: \(error.message) Its file is kept: restart the daemon with a larger --memory-budget to bring it back.")
                }
            } catch {
                let reason: DatasetUnavailableName = switch error.kind {
                case "missing": .missing
                case "damaged": .damaged
                default: .unreadable
                }
                unavailable(reason, "\(error)")
            }
        }
        return restored
    }

    /// A kept disk dataset, mapped again from its row file (its features stay on disk), and its
    /// fingerprint: a pass over the whole file, in released slices, so a row file changed or
    /// damaged since it was kept is refused as a column file would be.
    private func readRowFile(named file: String) throws(DatasetFileError) -> (Dataset, String) {
        let dataset = try DatasetRowFile.open(path: folder.pathOfFile(named: file), deleteWhenUnused: false)
        return (dataset, DatasetFingerprint.of(dataset))
    }

    /// Removes dataset files no row names, and temporary files a crash left.
    private func removeStrayFiles(named kept: Set<String>) {
        for entry in folder.ownEntries() where !kept.contains(entry) {
            do {
                try folder.remove(named: entry)
                log(.info, "Removed \(folder.path)/\(entry), a dataset file no kept dataset names (left by an interrupted write).")
            } catch {
                log(.warning, "Could not remove the stray dataset file: \(error)")
            }
        }
    }
}
