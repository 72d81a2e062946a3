#if canImport(Glibc)
import Glibc
#endif
import BallastML
import BallastProtocol
import BallastStore

extension Handlers {
    /// Most bytes of standardized rows held at once while a disk dataset is standardized to disk.
    static let standardizeChunkBytes = 64 << 10

    /// `dataset/standardize` of a disk dataset (or a view of one): the standardized rows are
    /// written a chunk at a time into a new row file and mapped, so the result stays on disk as its
    /// source did. The file goes where a disk load's would (`Workspace.newRowFile`): into the
    /// datasets folder when the result will be kept (`keptRowFile` then names it), else the spill
    /// folder. The values are `Standardizer.apply`'s, bit for bit (the
    /// same `standardize(_:rows:into:)`). Memory: one chunk (`standardizeChunkBytes`) and the
    /// result's classes and ids, checked against the budget before a row is read.
    ///
    /// - Parameters:
    ///   - name: the result's name (its row file is named after it); `field` where errors point;
    ///     `keep` the request's.
    func standardizeToDisk(_ data: Dataset, with scaler: Standardizer, named name: String, field: String,
                           keep: Bool?) throws(RPCError) -> (dataset: Dataset, keptRowFile: String?) {
        let width = data.featureCount
        guard width == scaler.mean.count else {
            throw RPCError.invalidParams("The standardizer was fitted on \(scaler.mean.count) features but '\(name)' has \(width).",
                                         field: field)
        }
        let rowBytes = max(1, width * MemoryLayout<Float>.stride)
        let chunkRows = max(1, min(data.rowCount, Self.standardizeChunkBytes / rowBytes))
        let idBytes = Dataset.idBytes(data.ids)
        do {
            try workspace.budget.checkRoom(MemoryBudget.sum([MemoryBudget.product(chunkRows, rowBytes),
                                                             MemoryBudget.product(data.rowCount, MemoryLayout<Int32>.stride), idBytes]),
                                           doing: "Standardizing \(data.rowCount) rows of a disk dataset into a new row file (a chunk of rows at a time, and their classes)")
        } catch {
            throw error.adding(["field": .string(field), "storage": "disk"])
        }
        let file = try workspace.newRowFile(for: name, keep: keep, stateDirectory: state.store.directory?.path)
        let path = file.path
        do throws(DatasetFileError) {
            let writer = try DatasetRowFile.Writer(path: path, featureCount: width)
            var chunk = [Float](repeating: 0, count: chunkRows * width)
            var start = 0
            while start < data.rowCount {
                let end = min(data.rowCount, start + chunkRows)
                let count = (end - start) * width
                if count > 0 {
                    data.features.withRows(width: width) { rows in
                        chunk.withUnsafeMutableBufferPointer { scaler.standardize(rows, rows: start..<end, into: $0.baseAddress!) }
                    }
                }
                try chunk.withUnsafeBufferPointer { (chunk) throws(DatasetFileError) in
                    try data.classIndex.withUnsafeBufferPointer { (classes) throws(DatasetFileError) in
                        try writer.append(features: UnsafeBufferPointer(rebasing: chunk[0..<count]),
                                          classes: UnsafeBufferPointer(rebasing: classes[start..<end]))
                    }
                }
                // The source's pages read so far may go: a pass over a disk dataset stays about a
                // chunk (a view's rows are scattered over its base: it lets the base go at the end).
                if !data.features.isView { data.features.release(rows: start..<end, width: width) }
                start = end
            }
            if data.features.isView { data.features.release(rows: 0..<data.rowCount, width: width) }
            let scaled = try writer.finish(schema: data.schema, classLabels: data.classLabels, positiveClass: data.positiveClass,
                                           ids: data.ids, classRemap: nil, deleteWhenUnused: file.kept == nil)
            return (scaled, file.kept)
        } catch {
            var full = false
            if case let .system(_, _, code) = error { full = code == ENOSPC || code == EDQUOT }
            throw RPCError(code: full ? ErrorCode.resourceLimit : ErrorCode.internalError,
                           message: "The standardized rows of '\(name)' could not be written to disk, so nothing was changed: \(error)",
                           data: ["field": .string(field), "path": .string(path), "reason": full ? "disk_full" : "spill_failed"])
        }
    }
}
