import BallastML
import BallastProtocol
import Foundation

extension Handlers {
    /// `dataset/load`.
    func registerDatasetLoad(into table: inout MethodTable) {
        table.register(DatasetLoad.self) { params, context in
            let path = Self.absolutePath(params.path)
            let options = try CSVOptions(params)
            // A numeric CSV needs at least two bytes of text per four-byte float, so twice the
            // file's size bounds the matrix: refuse before reading rather than after.
            let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int ?? 0
            if workspace.bytesUsed + 2 * size > workspace.memoryBudget {
                throw RPCError(code: ErrorCode.resourceLimit,
                               message: "Loading \(path) (\(Workspace.megabytes(size)) of text) could need up to \(Workspace.megabytes(2 * size)), more than the \(Workspace.megabytes(workspace.memoryBudget - workspace.bytesUsed)) left of the memory budget; drop a dataset or raise --memory-budget.",
                               data: ["path": .string(path), "memory_budget": .int(Int64(workspace.memoryBudget))])
            }
            context.progress(RunEvent(kind: .begin, title: "Loading \(path)"))
            let started = Date()
            let table = try CSVFile.load(path: path, options: options)
            let seconds = Date().timeIntervalSince(started)
            let name = params.name ?? Self.defaultName(for: path)
            let replaced = try workspace.store(name, .init(dataset: table.dataset, origin: .loaded,
                                                           missingPerFeature: table.missingPerFeature))
            context.progress(RunEvent(kind: .end, message: "Loaded \(table.dataset.rowCount) rows"))
            return DatasetLoad.Result(dataset: DatasetSummary(name: name, dataset: table.dataset, replaced: replaced),
                                      droppedRows: table.droppedRows, encodedColumns: table.encodedColumns,
                                      skippedLines: .init(count: table.skippedLines, first: table.firstSkippedLines),
                                      warnings: table.warnings,
                                      seconds: seconds, megabytesPerSecond: Double(size) / 1_000_000 / max(seconds, 1e-9))
        }
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
