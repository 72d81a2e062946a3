import BallastML
import BallastProtocol
import BallastTransport
import Foundation

/// One chunk of a `dataset/put` upload, checked and encoded: every numeric cell finite, every
/// text cell a level code, every label a class index; text columns one-hot encoded.
struct UploadChunk: Sendable {
    /// Encoded features, `rows × plan.featureWidth`, row-major.
    let features: Cells
    let classIndex: [Int32]
    let ids: [String]?
    /// Bytes the client sent for it (features and labels buffers).
    let bytesReceived: Int

    var rows: Int { classIndex.count }

    /// The features of a chunk: the received bytes themselves when every column is numeric (checked
    /// in place and copied once, into the upload), else the matrix with text columns one-hot encoded.
    enum Cells: Sendable {
        /// Little-endian float32, row-major, every value known finite.
        case received(Data)
        case encoded([Float])

        var count: Int {
            switch self {
            case .received(let data): data.count / 4
            case .encoded(let values): values.count
            }
        }

        func append(to values: inout [Float]) {
            switch self {
            case .received(let data): LittleEndianArrays.appendFloats(of: data, to: &values)
            case .encoded(let encoded): values.append(contentsOf: encoded)
            }
        }
    }

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
        let input = try buffers.bytes(featuresRef, field: "features", expectedBytes: try Self.byteCount(cells, field: "features"))
        let labels = try buffers.int32s(labelsRef, field: "labels", count: rows)
        if let row = Self.firstOutOfRange(labels, classes: plan.classes.count) {
            let label = labels[row]
            throw RPCError(code: ErrorCode.invalidParams,
                           message: "Row \(firstRow + row) has the label \(label), which is no class index (0 to \(plan.classes.count - 1), one per entry of 'classes').",
                           data: ["field": "labels", "row": .int(Int64(firstRow + row)), "value": .int(Int64(label))])
        }
        features = try Self.encode(input, rows: rows, plan: plan, firstRow: firstRow)
        classIndex = labels
        ids = params.ids
        bytesReceived = 4 * (cells + rows)
    }

    private static func byteCount(_ count: Int, field: String) throws(RPCError) -> Int {
        let (bytes, overflow) = count.multipliedReportingOverflow(by: 4)
        guard count >= 0, !overflow else {
            throw RPCError.invalidParams("'\(field)' would hold \(count) values, which is not a size a buffer can have.", field: field)
        }
        return bytes
    }

    /// The first row whose label is no class index, or nil; one branch-free pass when all are fine.
    private static func firstOutOfRange(_ labels: [Int32], classes: Int) -> Int? {
        let bound = UInt32(clamping: classes)
        let anyBad = labels.withUnsafeBufferPointer { labels -> UInt8 in
            // A negative label is a huge unsigned one, so one comparison covers both ends.
            var bad: UInt8 = 0
            for label in labels { bad |= UInt32(bitPattern: label) >= bound ? 1 : 0 }
            return bad
        }
        guard anyBad != 0 else { return nil }
        return labels.firstIndex { UInt32(bitPattern: $0) >= bound }
    }

    /// A non-finite value as a person names it: NaN (how a missing value usually arrives) or infinite.
    private static func describe(_ value: Float) -> String {
        value.isNaN ? "NaN (a missing value?)" : value > 0 ? "+infinity" : "-infinity"
    }

    /// The features matrix with each text column's code turned into its one-hot features.
    private static func encode(_ received: Data, rows: Int, plan: UploadPlan, firstRow: Int) throws(RPCError) -> Cells {
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
            if let bad = LittleEndianArrays.firstNonFinite(in: received) {
                let value = LittleEndianArrays.floats(received.subdata(in: (4 * bad)..<(4 * bad + 4)))[0]
                throw refuse(bad / inWidth, bad % inWidth, "is \(Self.describe(value)); every value must be a finite number")
            }
            return .received(received)
        }
        let input = LittleEndianArrays.floats(received)
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
        return .encoded(output)
    }
}
