import BallastML
import BallastProtocol
import BallastStore
import Foundation

/// `dataset/load` with `storage: "disk"`: the file is streamed window by window into a row file
/// (`DatasetRowFile`), whose features are then mapped, so a file larger than the memory budget
/// (or the machine's memory) loads. Memory holds one window's parse at a time, then the dataset's
/// classes and ids. The row file goes into the datasets folder when the dataset is kept (it is
/// what a restart maps again), else into the spill folder.
extension Handlers {
    /// Bytes of text per window: `BALLAST_LOAD_WINDOW_BYTES` when set (tests make it tiny so
    /// records, quotes and labels straddle windows), else `CSVStream.defaultWindowBytes`.
    static var loadWindowBytes: Int {
        if let text = ProcessInfo.processInfo.environment["BALLAST_LOAD_WINDOW_BYTES"], let bytes = Int(text), bytes > 0 {
            return bytes
        }
        return CSVStream.defaultWindowBytes
    }

    func loadToDisk(_ params: DatasetLoad.Params, path: String, name: String, options: CSVOptions,
                    context: RequestContext) throws -> DatasetLoad.Result {
        // Refused before anything is read: what needs the whole file in memory.
        if params.schema != nil {
            throw RPCError.invalidParams("storage=disk cannot match a file to a schema yet; load it in memory with the schema, or without a schema to disk.",
                                         field: "storage")
        }
        if options.missing == .imputeMean {
            throw RPCError.invalidParams("storage=disk cannot impute means (they need the whole file before the first row is written); use missing=drop_rows or error, or load it in memory.",
                                         field: "storage")
        }
        try Workspace.validate(name: name)
        let stamp = FileStamp(path: path)
        let file = try CSVFile(opening: path)
        let size = file.size
        let records = try file.estimatedRecords()
        // One window's text and its parse (at most twice its bytes), and 4 bytes a row of classes.
        // Under a small budget the window shrinks to what is free (not below 1 MiB), so a file
        // too large for memory still loads where its classes fit.
        let classBytes = MemoryBudget.product(records, 4)
        let room = max(0, workspace.budget.limit - workspace.budget.used - classBytes)
        let window = min(Self.loadWindowBytes, max(1 << 20, room / 3))
        let needed = MemoryBudget.sum([MemoryBudget.product(min(window, size), 3), classBytes])
        do {
            try workspace.budget.checkRoom(needed, doing: "Loading \(path) to disk (\(Workspace.megabytes(size)) of text, read \(Workspace.megabytes(min(window, size))) at a time, and about \(records) rows' classes)",
                                           replacing: .dataset(name))
        } catch {
            throw error.adding(["path": .string(path)])
        }
        let stateDirectory = state.store.directory?.path
        let rowFile = try workspace.newRowFile(for: name, keep: params.keep, stateDirectory: stateDirectory)
        context.progress(RunEvent(kind: .begin, title: "Loading \(path) to disk"))
        let started = Date()
        let (table, dataset) = try Self.spill(file, to: rowFile.path, keeping: name, deleteWhenUnused: rowFile.kept == nil,
                                              window: window, options: options, context: context)
        let seconds = Date().timeIntervalSince(started)
        let orphaned = workspace.replacementWarnings(name)
        var made = params
        made.path = path
        let replaced: Bool
        do {
            replaced = try workspace.store(name, .init(dataset: dataset, origin: .loaded, missingPerFeature: table.missingPerFeature,
                                                       loadedFile: stamp, keptRowFile: rowFile.kept),
                                           madeBy: DatasetProvenance(DatasetLoad.self, made, sources: [], keep: params.keep))
        } catch {
            // Not stored: a kept row file is nobody's now (a spill file goes with its dataset).
            workspace.removeKeptRowFiles(rowFile.kept.map { [$0] } ?? [])
            throw error
        }
        context.progress(RunEvent(kind: .end, message: "Loaded \(dataset.rowCount) rows to disk"))
        return DatasetLoad.Result(dataset: DatasetSummary(name: name, dataset: dataset, replaced: replaced, warnings: orphaned),
                                  droppedRows: table.droppedRows, encodedColumns: [],
                                  skippedLines: .init(count: table.skippedLines, first: table.firstSkippedLines),
                                  warnings: table.warnings,
                                  seconds: seconds, megabytesPerSecond: Double(size) / 1_000_000 / max(seconds, 1e-9))
    }
}

extension Handlers {
    /// Streams `file` into a row file at `rowPath` and maps it; on any failure the partial file
    /// is removed. With `deleteWhenUnused` (a spill file) the file goes when the dataset does;
    /// a kept row file is the keeper's to remove.
    static func spill(_ file: borrowing CSVFile, to rowPath: String, keeping name: String, deleteWhenUnused: Bool, window: Int,
                      options: CSVOptions, context: RequestContext) throws -> (StreamedTable, Dataset) {
        let spilled = SpilledRows(path: rowPath)
        do {
            let table = try file.stream(options: options, windowBytes: window) { features, classes in
                try context.checkCancellation()
                try spilled.append(features: features, classes: classes)
                context.progress(RunEvent(kind: .report, message: "\(spilled.rowCount) rows"))
            }
            return (table, try spilled.finish(table, deleteWhenUnused: deleteWhenUnused))
        } catch {
            spilled.abandon()
            if let refusal = error as? CSVStream.NeedsMemory {
                var data: [String: JSONValue] = ["field": "storage", "path": .string(file.path)]
                if let column = refusal.column { data["column"] = .string(column) }
                throw RPCError(code: ErrorCode.invalidParams, message: refusal.message, data: .object(data))
            }
            if let failure = error as? DatasetFileError { throw failure.rpcError(keeping: name) }
            throw error
        }
    }
}

/// The row file a disk load writes: made at the first window (its width known then), finished
/// into a mapped dataset, or removed when the load fails.
///
/// - Important: one owner, the load that made it; used from its thread only.
private final class SpilledRows {
    let path: String
    private var writer: DatasetRowFile.Writer?

    init(path: String) { self.path = path }

    var rowCount: Int { writer?.rowCount ?? 0 }

    func append(features: UnsafeBufferPointer<Float>, classes: UnsafeBufferPointer<Int32>) throws {
        if writer == nil {
            writer = try DatasetRowFile.Writer(path: path, featureCount: features.count / max(1, classes.count))
        }
        try writer!.append(features: features, classes: classes)
    }

    /// Remaps the provisional classes and maps the file.
    func finish(_ table: StreamedTable, deleteWhenUnused: Bool) throws -> Dataset {
        guard let writer else { throw DataError(kind: .headerOnly, message: "No rows were read.", path: path) }
        let dataset = try writer.finish(schema: table.schema, classLabels: table.classLabels, positiveClass: table.positiveClass,
                                        ids: table.ids, classRemap: table.classRemap, deleteWhenUnused: deleteWhenUnused)
        self.writer = nil
        return dataset
    }

    func abandon() {
        writer?.abandon()
        writer = nil
    }
}
