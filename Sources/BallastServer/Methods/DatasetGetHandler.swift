import BallastML
import BallastProtocol
import BallastTransport
import Foundation

extension Handlers {
    /// `dataset/get`: a page of rows as two buffers, features (float32) and labels (int32).
    func registerDatasetGet(into table: inout MethodTable) {
        table.register(DatasetGet.self) { params, context in
            let entry = try workspace.entry(params.dataset)
            let dataset = entry.dataset
            let offset = params.offset ?? 0
            guard offset >= 0 else {
                throw RPCError.invalidParams("offset must be 0 or more (the first row is 0), got \(offset).", field: "offset")
            }
            guard offset <= dataset.rowCount else {
                throw RPCError(code: ErrorCode.invalidParams,
                               message: "offset \(offset) is past the end of '\(params.dataset)', which has \(dataset.rowCount) rows.",
                               data: ["field": "offset", "total_rows": .int(Int64(dataset.rowCount))])
            }
            let width = dataset.featureCount
            let limit = params.limit ?? max(1, DatasetGet.defaultPageBytes / max(1, 4 * width))
            guard limit >= 0 else {
                throw RPCError.invalidParams("limit must be 0 or more, got \(limit).", field: "limit")
            }
            let rows = min(limit, dataset.rowCount - offset)
            let page = offset..<(offset + rows)
            // Copied once, from the dataset's arrays into the reply's frames.
            let features = LittleEndianArrays.data(ArraySlice(dataset.features[(page.lowerBound * width)..<(page.upperBound * width)]))
            let labels = LittleEndianArrays.data(dataset.classIndex[page])
            return DatasetGet.Result(
                dataset: params.dataset, totalRows: dataset.rowCount, offset: offset, rows: rows,
                featureNames: dataset.featureNames, columns: dataset.schema.wireColumns, classes: dataset.classLabels,
                positive: dataset.positiveClass.map { dataset.classLabels[$0] },
                label: labelName(of: params.dataset, entry),
                features: context.buffers.attach(features, dtype: .float32, shape: [rows, width]),
                labels: context.buffers.attach(labels, dtype: .int32, shape: [rows]),
                ids: dataset.ids.map { Array($0[page]) })
        }
    }

    /// The label column's name as `dataset/put` or `dataset/load` was told it, else "label".
    private func labelName(of name: String, _ entry: Workspace.Entry) -> String {
        if let label = state.uploads.label(of: name, fingerprint: entry.fingerprint) { return label }
        // A kept dataset's provenance names it: dataset/put's `label`, or dataset/load's when given by name.
        if let rows = try? state.store.datasets().readable,
           let row = rows.first(where: { $0.name == name && $0.fingerprint == entry.fingerprint }),
           let label = row.provenance["params"]?["label"]?.stringValue {
            return label
        }
        return UploadPlan.defaultLabel
    }

}
