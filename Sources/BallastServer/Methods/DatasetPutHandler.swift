import BallastML
import BallastProtocol
import Foundation

extension Handlers {
    /// `dataset/put`: a dataset sent as binary buffers, in one message or in chunks (an upload).
    func registerDatasetPut(into table: inout MethodTable) {
        table.register(DatasetPut.self, buffers: ["features", "labels"]) { params, context in
            if let id = params.upload { return try continueUpload(id, params, context) }
            if params.abort != nil {
                throw RPCError.invalidParams("'abort' needs the 'upload' it discards.", field: "abort")
            }
            let plan = try UploadPlan(params, raw: context.params)
            if let total = plan.totalRows {
                // Refused before any row is sent: the rows in all, as the dataset will hold them.
                let perRow = MemoryBudget.sum([MemoryBudget.product(plan.featureWidth, 4), 4])
                try workspace.budget.checkRoom(MemoryBudget.product(total, perRow),
                                               doing: "Receiving the dataset '\(plan.name)' (\(total) rows × \(plan.featureWidth) features)")
            }
            var upload = try state.uploads.begin(session: context.session, plan: plan)
            try checkChunkRoom(params.rows, plan: plan)
            let chunk = try UploadChunk(params, plan: plan, firstRow: 0, buffers: context.buffers)
            try checkTotal(plan, after: chunk.rows, more: params.more == true)
            if params.more == true {
                if let total = plan.totalRows {
                    // Set aside room for every announced row at once (no regrowth while the chunks
                    // come), held against the budget before it is allocated.
                    upload.reservedBytes = MemoryBudget.product(total, MemoryBudget.sum([MemoryBudget.product(plan.featureWidth, 4), 4]))
                }
                try state.uploads.hold(upload, bytes: Self.bytesAfter(upload, chunk), adding: chunk.rows)
                if let total = plan.totalRows {
                    upload.features.reserveCapacity(MemoryBudget.product(total, plan.featureWidth))
                    upload.classIndex.reserveCapacity(total)
                }
                upload.append(chunk)
                state.uploads.checkIn(upload)
                return .pending(.init(upload: upload.id, rowsReceived: upload.rows))
            }
            upload.append(chunk)
            return .done(try finishUpload(upload, chunked: false))
        }
    }

    private func continueUpload(_ id: String, _ params: DatasetPut.Params, _ context: RequestContext) throws -> DatasetPut.Result {
        if let field = DatasetPut.Params.firstChunkFields.first(where: { context.params[$0] != nil }) {
            throw RPCError.invalidParams("'\(field)' belongs to an upload's first chunk; a later chunk sends upload, rows, features, labels, ids and more only.",
                                         field: field)
        }
        if params.abort == true {
            if let field = ["rows", "features", "labels", "ids", "more"].first(where: { context.params[$0] != nil }) {
                throw RPCError.invalidParams("An abort sends {upload, abort: true} alone; '\(field)' would be thrown away with it.", field: field)
            }
            let upload = try state.uploads.checkOut(id, session: context.session)
            state.uploads.end(id, session: context.session, why: "it was aborted")
            return .pending(.init(upload: id, rowsReceived: upload.rows, aborted: true))
        }
        var upload = try state.uploads.checkOut(id, session: context.session)
        let chunk: UploadChunk
        do {
            try checkChunkRoom(params.rows, plan: upload.plan)
            chunk = try UploadChunk(params, plan: upload.plan, firstRow: upload.rows, buffers: context.buffers)
            try checkTotal(upload.plan, after: upload.rows + chunk.rows, more: params.more == true)
            try state.uploads.hold(upload, bytes: Self.bytesAfter(upload, chunk), adding: chunk.rows)
        } catch {
            // The chunk is refused; the upload stays as it was, for the chunk to be sent again.
            state.uploads.checkIn(upload)
            throw error
        }
        upload.append(chunk)
        if params.more == true {
            state.uploads.checkIn(upload)
            return .pending(.init(upload: id, rowsReceived: upload.rows))
        }
        return .done(try finishUpload(upload, chunked: true))
    }

    /// Refuses, before its one-hot features are allocated, a chunk whose rows would not fit beside
    /// what is held (its upload's rows so far among it).
    private func checkChunkRoom(_ rows: Int?, plan: UploadPlan) throws(RPCError) {
        guard let rows, rows > 0 else { return }
        let bytes = MemoryBudget.product(rows, MemoryBudget.sum([MemoryBudget.product(plan.featureWidth, 4), 4]))
        try workspace.budget.checkRoom(bytes, doing: "Receiving \(rows) rows of the dataset '\(plan.name)' (\(plan.featureWidth) features each)")
    }

    /// Refuses a chunk that brings the rows past `total_rows`, or a last chunk that stops short of it.
    private func checkTotal(_ plan: UploadPlan, after rows: Int, more: Bool) throws(RPCError) {
        guard let total = plan.totalRows else { return }
        if rows > total || (!more && rows != total) {
            throw RPCError(code: ErrorCode.invalidParams,
                           message: "The upload said total_rows \(total), but this chunk \(more ? "brings" : "ends") it at \(rows) rows.",
                           data: ["field": "rows", "total_rows": .int(Int64(total)), "rows_received": .int(Int64(rows))])
        }
    }

    private static func bytesAfter(_ upload: Uploads.Upload, _ chunk: UploadChunk) -> Int {
        let rows = MemoryBudget.sum([upload.features.count * 4, upload.classIndex.count * 4, upload.idBytes,
                                     chunk.features.count * 4, chunk.rows * 4,
                                     Dataset.idBytes(chunk.ids)])
        return max(upload.reservedBytes, rows)
    }

    /// Makes the dataset of a complete upload, under the rules of `dataset/load` (rows, classes,
    /// positive class), and stores it like any other. The upload ends here, whatever happens.
    private func finishUpload(_ upload: Uploads.Upload, chunked: Bool) throws(RPCError) -> DatasetLoad.Result {
        let plan = upload.plan
        // Its bytes move to the dataset, which `store` holds: the upload gives its hold back first.
        state.uploads.end(upload.id, session: upload.session, why: "it was finished")
        do {
            let (dataset, warnings) = try Self.dataset(of: upload)
            let orphaned = workspace.replacementWarnings(plan.name)
            let replaced = try workspace.store(plan.name, .init(dataset: dataset, origin: .loaded,
                                                                missingPerFeature: Array(repeating: 0, count: dataset.featureCount)),
                                               madeBy: DatasetProvenance(DatasetPut.self, plan.provenanceParams(rows: dataset.rowCount),
                                                                         keep: plan.keep))
            if let entry = try? workspace.entry(plan.name, asUse: false) {
                state.uploads.rememberLabel(plan.labelName, of: plan.name, fingerprint: entry.fingerprint)
            }
            let seconds = Date().timeIntervalSince(upload.started)
            return DatasetLoad.Result(dataset: DatasetSummary(name: plan.name, dataset: dataset, replaced: replaced, warnings: orphaned),
                                      droppedRows: 0, encodedColumns: plan.textColumns, warnings: warnings, seconds: seconds,
                                      megabytesPerSecond: Double(upload.bytesReceived) / 1_000_000 / max(seconds, 1e-9))
        } catch {
            guard chunked else { throw error }
            var said = error
            said.message += " The upload \(upload.id) was discarded; send the dataset again."
            throw said
        }
    }

    /// The rows received as a dataset: classes with no row left out (as `dataset/load` knows only
    /// the labels present), at least one row and two classes, the positive class as `dataset/load` chooses it.
    private static func dataset(of upload: Uploads.Upload) throws(RPCError) -> (Dataset, [String]) {
        let plan = upload.plan
        guard upload.rows > 0 else {
            throw RPCError(code: ErrorCode.invalidData, message: "The dataset '\(plan.name)' has no rows; send at least one.",
                           data: ["field": "rows"])
        }
        var counts = [Int](repeating: 0, count: plan.classes.count)
        for label in upload.classIndex { counts[Int(label)] += 1 }
        var classes = plan.classes, classIndex = upload.classIndex, warnings: [String] = []
        if counts.contains(0) {
            let absent = plan.classes.indices.filter { counts[$0] == 0 }.map { plan.classes[$0] }
            var remap = [Int32](repeating: -1, count: classes.count), kept: [String] = [], keptCounts: [Int] = []
            for index in classes.indices where counts[index] > 0 {
                remap[index] = Int32(kept.count)
                kept.append(classes[index])
                keptCounts.append(counts[index])
            }
            for row in classIndex.indices { classIndex[row] = remap[Int(classIndex[row])] }
            classes = kept
            counts = keptCounts
            warnings.append("No row has the class\(absent.count == 1 ? "" : "es") \(absent.prefix(20).map { "'\($0)'" }.joined(separator: ", ")); the dataset leaves \(absent.count == 1 ? "it" : "them") out, as dataset/load does.")
        }
        guard classes.count >= 2 else {
            throw RPCError(code: ErrorCode.invalidData,
                           message: "Every row of '\(plan.name)' has the label '\(classes.first ?? "")'; classification needs at least two classes.",
                           data: ["field": "labels"])
        }
        var positive: Int?
        if let wanted = plan.positive {
            guard let index = classes.firstIndex(of: wanted) else {
                throw RPCError(code: ErrorCode.invalidParams,
                               message: "The positive class '\(wanted)' has no row in the dataset '\(plan.name)'.", data: ["field": "positive"])
            }
            guard classes.count == 2 else {
                throw RPCError(code: ErrorCode.invalidParams,
                               message: "A positive class only applies to binary data, but '\(plan.name)' has \(classes.count) classes.",
                               data: ["field": "positive"])
            }
            positive = index
        } else if classes.count == 2 {
            positive = counts[0] < counts[1] ? 0 : 1
        }
        return (Dataset(schema: plan.schema, features: upload.features, classIndex: classIndex, classLabels: classes,
                        positiveClass: positive, ids: upload.ids), warnings)
    }
}
