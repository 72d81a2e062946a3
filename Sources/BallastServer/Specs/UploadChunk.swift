import BallastML
import BallastProtocol
import Foundation

/// One chunk of a `dataset/put` upload, checked and encoded: every numeric cell finite, every
/// text cell a level code, every label a class index; text columns one-hot encoded.
struct UploadChunk: Sendable {
    /// Encoded features, `rows × plan.featureWidth`, row-major.
    let features: [Float]
    let classIndex: [Int32]
    let ids: [String]?
    /// Bytes the client sent for it (features and labels buffers).
    let bytesReceived: Int

    var rows: Int { classIndex.count }

    /// - Parameter firstRow: the upload's rows before this chunk, so errors count rows from the upload's first.
    init(_ params: DatasetPut.Params, plan: UploadPlan, firstRow: Int, buffers: RequestBuffers) throws(RPCError) {
        guard let rows = params.rows else {
            throw RPCError.invalidParams("Send 'rows': how many rows this chunk holds.", field: "rows")
        }
        guard rows >= 0 else { throw RPCError.invalidParams("rows must be 0 or more, got \(rows).", field: "rows") }
        guard let featuresRef = params.features else {
            throw RPCError.invalidParams("Send 'features': {\"buffer\": i}, float32 rows × \(plan.inputWidth) columns, row-major.", field: "features")
        }
        guard let labelsRef = params.labels else {
            throw RPCError.invalidParams("Send 'labels': {\"buffer\": i}, one int32 class index per row.", field: "labels")
        }
        switch (plan.hasIDs, params.ids) {
        case (true, nil):
            throw RPCError.invalidParams("The upload's first chunk sent ids; send 'ids' with every chunk.", field: "ids")
        case (false, .some):
            throw RPCError.invalidParams("The upload's first chunk sent no ids; send ids with every chunk or with none.", field: "ids")
        case (_, let ids?) where ids.count != rows:
            throw RPCError.invalidParams("'ids' has \(ids.count) entries for \(rows) rows; send one per row.", field: "ids")
        default: break
        }
        let cells = MemoryBudget.product(rows, plan.inputWidth)
        let input = try buffers.floats(featuresRef, field: "features", count: cells)
        let labels = try buffers.int32s(labelsRef, field: "labels", count: rows)
        for (row, label) in labels.enumerated() where label < 0 || Int(label) >= plan.classes.count {
            throw RPCError(code: ErrorCode.invalidParams,
                           message: "Row \(firstRow + row) has the label \(label), which is no class index (0 to \(plan.classes.count - 1), one per entry of 'classes').",
                           data: ["field": "labels", "row": .int(Int64(firstRow + row)), "value": .int(Int64(label))])
        }
        features = try Self.encode(input, rows: rows, plan: plan, firstRow: firstRow)
        classIndex = labels
        ids = params.ids
        bytesReceived = 4 * (cells + rows)
    }

    /// A non-finite value as a person names it: NaN (how a missing value usually arrives) or infinite.
    private static func describe(_ value: Float) -> String {
        value.isNaN ? "NaN (a missing value?)" : value > 0 ? "+infinity" : "-infinity"
    }

    /// The features matrix with each text column's code turned into its one-hot features.
    private static func encode(_ input: [Float], rows: Int, plan: UploadPlan, firstRow: Int) throws(RPCError) -> [Float] {
        let inWidth = plan.inputWidth, outWidth = plan.featureWidth
        func refuse(_ row: Int, _ column: Int, _ why: String) -> RPCError {
            let name = plan.schema.columns[column].name
            return RPCError(code: ErrorCode.invalidParams,
                            message: "Row \(firstRow + row), column \(column) ('\(name)') \(why).",
                            data: ["field": "features", "row": .int(Int64(firstRow + row)), "column": .int(Int64(column)),
                                   "column_name": .string(name)])
        }
        let allNumeric = plan.inputs.allSatisfy { if case .numeric = $0 { true } else { false } }
        if allNumeric {
            // No encoding to do: the matrix is kept as sent once every cell is known finite.
            if let bad = input.firstIndex(where: { !$0.isFinite }) {
                throw refuse(bad / inWidth, bad % inWidth, "is \(Self.describe(input[bad])); every value must be a finite number")
            }
            return input
        }
        var output = [Float](repeating: 0, count: rows * outWidth)
        var start = [Int](), next = 0
        for column in plan.schema.columns {
            start.append(next)
            next += column.featureNames.count
        }
        for row in 0..<rows {
            let inBase = row * inWidth, outBase = row * outWidth
            for (column, kind) in plan.inputs.enumerated() {
                let value = input[inBase + column]
                switch kind {
                case .numeric:
                    guard value.isFinite else { throw refuse(row, column, "is \(Self.describe(value)); every value must be a finite number") }
                    output[outBase + start[column]] = value
                case .text(let levels):
                    guard value.isFinite, value.rounded() == value, value >= 0, value < Float(levels) else {
                        throw refuse(row, column, "holds \(value), which is no level code of this text column (a whole number from 0 to \(levels - 1))")
                    }
                    output[outBase + start[column] + Int(value)] = 1
                }
            }
        }
        return output
    }
}
