import BallastProtocol
import BallastTransport

/// Matches the `{"buffer": i}` references in a request's params with the buffers it carried,
/// before its handler runs: every buffer referenced by exactly one field, no reference to a
/// buffer that is not there, no buffers for a method that takes none, at most `Frames.maxBuffers`.
/// Each refusal is -32602 with `data.field` (the param's path).
enum BufferReferences {
    /// The references in `params`, as (buffer index, param path), in document order (keys sorted).
    static func find(in params: JSONValue) throws(RPCError) -> [(index: Int, field: String)] {
        var found: [(index: Int, field: String)] = []
        try walk(params, path: "", into: &found)
        return found
    }

    private static func walk(_ value: JSONValue, path: String, into found: inout [(index: Int, field: String)]) throws(RPCError) {
        switch value {
        case .object(let members):
            if let reference = members[BufferReference.key] {
                let field = path.isEmpty ? BufferReference.key : path
                guard let index = reference.intValue, index >= 0, index <= Int64(Int32.max) else {
                    throw RPCError.invalidParams(
                        "'\(field)' refers to a buffer by \(JSONWriter.string(reference)); a buffer reference is {\"buffer\": i} with i the buffer's 0-based index after the payload.",
                        field: field)
                }
                found.append((Int(index), field))
                return
            }
            // A progress token is the client's own value, echoed back: never a reference.
            for key in members.keys.sorted() where !(path.isEmpty && key == progressTokenField) {
                try walk(members[key]!, path: path.isEmpty ? key : "\(path).\(key)", into: &found)
            }
        case .array(let elements):
            for (offset, element) in elements.enumerated() {
                try walk(element, path: "\(path)[\(offset)]", into: &found)
            }
        default:
            return
        }
    }

    /// Refuses a request whose buffers and references do not match, or that carries buffers to a
    /// method that takes none (`takesBuffers` false).
    static func check(_ params: JSONValue, carried: Int, method: String, takesBuffers: Bool) throws(RPCError) {
        let references = try find(in: params)
        guard takesBuffers else {
            guard carried == 0, references.isEmpty else {
                let field = references.first?.field ?? "buffers"
                throw RPCError(code: ErrorCode.invalidParams,
                               message: "'\(method)' takes no binary buffers, but this request \(carried == 0 ? "refers to one" : "carries \(carried)"); send it with none.",
                               data: ["field": .string(field), "buffers": .int(Int64(carried))])
            }
            return
        }
        guard carried <= Frames.maxBuffers else {
            throw RPCError(code: ErrorCode.invalidParams,
                           message: "This request carries \(carried) buffers; a message carries at most \(Frames.maxBuffers).",
                           data: ["field": "buffers", "buffers": .int(Int64(carried))])
        }
        var fieldOf: [Int: String] = [:]
        for (index, field) in references {
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
