import BallastProtocol

/// `model/train`'s `sample_weight`: a float32 buffer, one weight per row of the training data,
/// by the engine's rules (finite, at least 0, not all 0). Checked here, before a run is recorded,
/// so that each refusal names `sample_weight` and the row at fault.
enum SampleWeightSpec {
    static let field = "sample_weight"

    static func weights(_ reference: BufferReference?, rows: Int, buffers: RequestBuffers) throws(RPCError) -> [Double]? {
        guard let reference else { return nil }
        let values = try buffers.floats(reference, field: field, count: rows)
        var anyPositive = false
        for (row, value) in values.enumerated() {
            guard value.isFinite, value >= 0 else {
                throw RPCError(code: ErrorCode.invalidParams,
                               message: "Sample weights must be finite and at least 0; row \(row) has \(value).",
                               data: ["field": .string(field), "row": .int(Int64(row))])
            }
            if value > 0 { anyPositive = true }
        }
        guard anyPositive else {
            throw RPCError.invalidParams("The sample weights are all 0, so there is nothing to learn from.", field: field)
        }
        return values.map(Double.init)
    }
}
