import BallastProtocol
import BallastTransport

/// Matches the `{"buffer": i}` references in a request's params with the buffers it carried,
/// before its handler runs: every buffer referenced by exactly one field, no reference to a
/// buffer that is not there, no buffers for a method that takes none (more than `Frames.maxBuffers` never gets here: `Frames.routed` drops it unread).
/// Each refusal is -32602 with `data.field` (the param's path).
///
/// Only the params a method declares as buffer fields (`MethodTable.register(_:buffers:)`) are
/// read as references. Anything else is plain JSON, whatever its keys: a `{"buffer": …}` object
/// in `model/predict`'s `rows` is a row whose column is named `buffer`, not a reference.
enum BufferReferences {
    /// The references in `params`, as (buffer index, param path), in the order of `fields`: each
    /// of the method's buffer fields that is present as an object with a `buffer` member.
    static func find(in params: JSONValue, fields: [String]) throws(RPCError) -> [(index: Int, field: String)] {
        var found: [(index: Int, field: String)] = []
        for field in fields {
            guard let reference = params[field]?.objectValue?[BufferReference.key] else { continue }
            guard let index = reference.intValue, index >= 0, index <= Int64(Int32.max) else {
                throw RPCError.invalidParams(
                    "'\(field)' refers to a buffer by \(JSONWriter.string(reference)); a buffer reference is {\"buffer\": i} with i the buffer's 0-based index after the payload.",
                    field: field)
            }
            found.append((Int(index), field))
        }
        return found
    }

    /// Refuses a request whose buffers and references do not match, or that carries buffers to a
    /// method that takes none (`fields` empty).
    static func check(_ params: JSONValue, carried: Int, method: String, fields: [String]) throws(RPCError) {
        guard !fields.isEmpty else {
            guard carried == 0 else {
                throw RPCError(code: ErrorCode.invalidParams,
                               message: "'\(method)' takes no binary buffers, but this request carries \(carried); send it with none.",
                               data: ["field": "buffers", "buffers": .int(Int64(carried))])
            }
            return
        }
        var fieldOf: [Int: String] = [:]
        for (index, field) in try find(in: params, fields: fields) {
            guard index < carried else { throw missing(index, field: field, carried: carried) }
            if let first = fieldOf[index] { throw twice(index, field: field, first: first) }
            fieldOf[index] = field
        }
        if let unreferenced = (0..<carried).first(where: { fieldOf[$0] == nil }) {
            throw unreferencedError(unreferenced)
        }
    }

    static func missing(_ index: Int, field: String, carried: Int) -> RPCError {
        let had = carried == 0 ? "none was sent" : carried == 1 ? "only buffer 0 was sent" : "only buffers 0 to \(carried - 1) were sent"
        return RPCError(code: ErrorCode.invalidParams,
                        message: "'\(field)' refers to buffer \(index), but \(had).",
                        data: ["field": .string(field), "buffer": .int(Int64(index)), "buffers": .int(Int64(carried))])
    }

    static func twice(_ index: Int, field: String, first: String) -> RPCError {
        RPCError(code: ErrorCode.invalidParams,
                 message: "Buffer \(index) is referred to by both '\(first)' and '\(field)'; send one buffer per field.",
                 data: ["field": .string(field), "buffer": .int(Int64(index)), "first_field": .string(first)])
    }

    static func unreferencedError(_ index: Int, field: String = "buffers") -> RPCError {
        RPCError(code: ErrorCode.invalidParams,
                 message: "Buffer \(index) was sent but no param refers to it; refer to each buffer as {\"buffer\": \(index)} from the field it fills, or do not send it.",
                 data: ["field": .string(field), "buffer": .int(Int64(index))])
    }
}
