import BallastML
import BallastProtocol
import Foundation

/// The model file: versioned JSON, `{"format": "ballast-model", "version": 2, …}`.
///
/// Written as version 2 (`ModelFileV2`); versions 1 (`ModelFileV1`, what protocol 1.2 wrote) and
/// 2 are read. A reader refuses another format, a newer version, and a file whose weights do
/// not fit its own features and classes, with -32010 and the file's `path` in `data`.
enum ModelFile {
    static let format = "ballast-model"
    /// The version written.
    static let version = 2

    static func encode(_ entry: Models.Entry) throws -> [UInt8] {
        JSONWriter.data(try object(entry), pretty: true) + [UInt8(ascii: "\n")]
    }

    /// The file's content as a JSON object: what `encode` writes, and what `model/save` without
    /// a path answers with.
    static func object(_ entry: Models.Entry) throws -> JSONValue {
        try JSONValue(encoding: ModelFileV2(entry))
    }

    /// Where a model file comes from, for what its errors say: a file (named by `data.path`) or
    /// a request's param holding the file's object (`model/load`'s `file`, named by `data.field`).
    enum Source {
        case path(String)
        case param(String)

        /// How a sentence names it.
        var name: String {
            switch self {
            case .path(let path): path
            case .param(let field): "'\(field)'"
            }
        }

        /// -32010 naming the file, and the field inside it when there is one.
        func invalid(_ message: String, field: String? = nil, _ extra: [String: JSONValue] = [:]) -> RPCError {
            var data = extra
            switch self {
            case .path(let path):
                data["path"] = .string(path)
                if let field { data["field"] = .string(field) }
            case .param(let param):
                data["field"] = .string(field.map { "\(param).\($0)" } ?? param)
            }
            return RPCError(code: ErrorCode.invalidData, message: message, data: .object(data))
        }
    }

    static func decode(_ bytes: [UInt8], path: String) throws(RPCError) -> Models.Entry {
        let value: JSONValue
        do { value = try JSONParser.parse(bytes) } catch {
            // The parser's reason may quote the file ("after member name \"…\""): say it only for
            // a file that names the format, a damaged model file, never for just any file.
            let reason = namesTheFormat(bytes) ? "\(error)" : "at line \(error.line), column \(error.column)"
            throw Source.path(path).invalid("\(path) is not a Ballast model file: its JSON is broken (\(reason)).",
                                            ["line": .int(Int64(error.line)), "column": .int(Int64(error.column))])
        }
        return try decode(value, from: .path(path))
    }

    /// The model a file's JSON describes, with the same checks whether it was read from a file
    /// or sent as an object.
    static func decode(_ value: JSONValue, from source: Source) throws(RPCError) -> Models.Entry {
        let name = source.name
        guard value["format"]?.stringValue == format else {
            throw source.invalid("\(name) is not a Ballast model file (no \"format\": \"\(format)\").", field: "format")
        }
        guard let fileVersion = value["version"]?.intValue else { throw source.invalid("\(name) has no version number.", field: "version") }
        guard fileVersion == 1 || fileVersion == Int64(version) else {
            throw source.invalid("\(name) is a version \(fileVersion) model file; this daemon reads versions 1 to \(version).",
                                 field: "version", ["version": .int(fileVersion), "supported": .int(Int64(version))])
        }
        let entry: Models.Entry
        do {
            entry = fileVersion == 1 ? try value.decode(as: ModelFileV1.self).entry() : try value.decode(as: ModelFileV2.self).entry()
        } catch {
            throw source.invalid("\(name) is not a valid model file: \(error.message)", field: error.data?["field"]?.stringValue)
        }
        if let damage = damage(of: entry.model) { throw source.invalid("\(name) is damaged: \(damage.reason).", field: damage.field) }
        return entry
    }

    /// Whether the bytes hold `"ballast-model"`, the format's name in quotes.
    static func namesTheFormat(_ bytes: [UInt8]) -> Bool {
        let needle = Array("\"\(format)\"".utf8)
        guard bytes.count >= needle.count else { return false }
        return (0...(bytes.count - needle.count)).contains { start in
            bytes[start] == needle[0] && bytes[start..<(start + needle.count)].elementsEqual(needle)
        }
    }

    /// What keeps the model's layers from turning its features into its classes, if anything,
    /// and the field of the file that says so. The sizes are the file's own, so nothing is
    /// assumed of them: each layer has at least one input and one output, and its weights count
    /// (`inputs × outputs`) is checked for overflow before it is compared.
    static func damage(of model: TrainedModel) -> (reason: String, field: String)? {
        let features = model.featureNames.count
        guard let first = model.layers.first else { return ("it has no layers", "model.layers") }
        for (index, layer) in model.layers.enumerated() {
            let field = "model.layers[\(index)]"
            guard layer.inputs >= 1 else { return ("layer \(index) has \(layer.inputs) inputs; a layer has at least 1", "\(field).inputs") }
            guard layer.outputs >= 1 else { return ("layer \(index) has \(layer.outputs) outputs; a layer has at least 1", "\(field).outputs") }
            let (weights, overflow) = layer.inputs.multipliedReportingOverflow(by: layer.outputs)
            guard !overflow else {
                return ("layer \(index) has \(layer.inputs) inputs × \(layer.outputs) outputs, more weights than any model can hold", field)
            }
            guard layer.weights.count == weights else {
                return ("layer \(index) has \(layer.weights.count) weights where its \(layer.inputs) inputs × \(layer.outputs) outputs need \(weights)", "\(field).weights")
            }
            guard layer.bias.count == layer.outputs else {
                return ("layer \(index) has \(layer.bias.count) biases for its \(layer.outputs) outputs", "\(field).bias")
            }
        }
        guard first.inputs == features else {
            return ("its first layer takes \(first.inputs) inputs, not its \(features) features", "model.layers[0].inputs")
        }
        let classes = model.classLabels.count
        let sigmoid = classes == 2 && model.kind != .softmax
        let expected: [Int] = switch model.kind {
        case .logistic: [features, 1]
        case .softmax: [features, classes]
        case .mlp(let hidden): [features] + hidden + [sigmoid ? 1 : classes]
        }
        let sizes = [first.inputs] + model.layers.map(\.outputs)
        let chained = zip(model.layers.dropFirst(), model.layers).allSatisfy { $0.inputs == $1.outputs }
        guard classes >= 2, chained, sizes == expected, model.kind != .logistic || classes == 2 else {
            return ("its layers (\(sizes.map(String.init).joined(separator: " → "))) do not fit a model of type \(ModelName(model.kind).rawValue) with \(features) features and \(classes) classes", "model.layers")
        }
        return nil
    }
}
