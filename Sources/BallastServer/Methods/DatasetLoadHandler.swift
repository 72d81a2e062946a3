import BallastML
import BallastProtocol
import Foundation

extension Handlers {
    /// `dataset/load`.
    func registerDatasetLoad(into table: inout MethodTable) {
        table.register(DatasetLoad.self) { params, context in
            let path = Self.absolutePath(params.path)
            let options = try CSVOptions(params)
            let target = try params.schema.map { name throws(RPCError) in try schemaSource(name) }
            if let target, let wanted = params.positive, target.positive.map({ target.classes[$0] }) != wanted {
                throw RPCError.invalidParams("With a schema the positive class is the schema's (\(target.positive.map { target.classes[$0] } ?? "none")), not '\(wanted)'.",
                                             field: "positive")
            }
            let name = params.name ?? Self.defaultName(for: path)
            if params.storage == .disk {
                return try loadToDisk(params, path: path, name: name, options: options, context: context)
            }
            // A numeric CSV needs at least two bytes of text per four-byte float, so twice the
            // file's size bounds the matrix: refuse before reading rather than after. A file read
            // into memory rather than mapped (`CSVFile.access`) also holds its text meanwhile. The
            // size is the open file's, the one that is parsed; the dataset this one replaces
            // counts as free.
            let stamp = FileStamp(path: path)
            let file = try CSVFile(opening: path)
            let size = file.size
            let (factor, how) = file.access == .mapped ? (2, "at most twice that once parsed")
                : (3, "read into memory, and at most twice that once parsed")
            do {
                try workspace.budget.checkRoom(MemoryBudget.product(size, factor),
                                               doing: "Loading \(path) (\(Workspace.megabytes(size)) of text, \(how))",
                                               replacing: .dataset(name))
            } catch let refusal as RPCError {
                var refusal = refusal.adding(["path": .string(path)])
                if refusal.code == ErrorCode.resourceLimit, params.schema == nil {
                    refusal.message = refusal.message.replacingOccurrences(of: ", or raise --memory-budget.",
                                                                           with: ", raise --memory-budget, or load it with storage=\"disk\" (its features then stay on disk, mapped as they are read).")
                }
                throw refusal
            }
            context.progress(RunEvent(kind: .begin, title: "Loading \(path)"))
            let started = Date()
            let table = try file.parse(options: options)
            var dataset = table.dataset, missing = table.missingPerFeature, warnings = table.warnings
            if let target {
                let aligned = try Self.align(table.dataset, named: name, field: "schema", to: target.schema, classes: target.classes,
                                             positive: target.positive, unseenLevels: UnseenLevels(params.unseenLevels))
                dataset = aligned.dataset
                warnings += aligned.warnings
                missing = Self.missing(table.missingPerFeature, of: table.dataset, as: dataset)
            }
            let seconds = Date().timeIntervalSince(started)
            let orphaned = workspace.replacementWarnings(name)
            var made = params
            made.path = path
            let replaced = try workspace.store(name, .init(dataset: dataset, origin: .loaded, missingPerFeature: missing, loadedFile: stamp),
                                               madeBy: DatasetProvenance(DatasetLoad.self, made, sources: params.schema.map { [$0] } ?? [],
                                                                         keep: params.keep))
            context.progress(RunEvent(kind: .end, message: "Loaded \(dataset.rowCount) rows"))
            return DatasetLoad.Result(dataset: DatasetSummary(name: name, dataset: dataset, replaced: replaced, warnings: orphaned),
                                      droppedRows: table.droppedRows, encodedColumns: table.encodedColumns,
                                      skippedLines: .init(count: table.skippedLines, first: table.firstSkippedLines),
                                      warnings: warnings,
                                      seconds: seconds, megabytesPerSecond: Double(size) / 1_000_000 / max(seconds, 1e-9))
        }
    }

    /// The columns and classes of the dataset, or else the model, named by `dataset/load`'s `schema`.
    private func schemaSource(_ name: String) throws(RPCError) -> (schema: DatasetSchema, classes: [String], positive: Int?) {
        if let data = try? workspace.dataset(name) { return (data.schema, data.classLabels, data.positiveClass) }
        if let entry = try? models.entry(name) { return (entry.model.schema, entry.model.classLabels, entry.model.positiveClass) }
        throw .notFound("dataset or model", name, field: "schema", known: workspace.datasetNames + models.names)
    }

    /// Relative paths are the daemon's business: resolve them against its working directory
    /// (clients that know better send absolute paths), and expand `~`.
    static func absolutePath(_ path: String) -> String {
        let expanded = (path as NSString).expandingTildeInPath
        if expanded.hasPrefix("/") { return expanded }
        return FileManager.default.currentDirectoryPath + "/" + expanded
    }

    /// `data/cards.csv` → `cards`.
    static func defaultName(for path: String) -> String {
        let base = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        let cleaned = String(base.map { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == "." ? $0 : "_" })
        return cleaned.isEmpty || cleaned.hasPrefix(".") ? "data" : cleaned
    }
}
