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
        JSONWriter.data(try JSONValue(encoding: ModelFileV2(entry)), pretty: true) + [UInt8(ascii: "\n")]
    }

    static func decode(_ bytes: [UInt8], path: String) throws(RPCError) -> Models.Entry {
        func invalid(_ message: String, _ extra: [String: JSONValue] = [:]) -> RPCError {
            RPCError(code: ErrorCode.invalidData, message: message, data: .object(["path": .string(path)].merging(extra) { a, _ in a }))
        }
        let value: JSONValue
        do { value = try JSONParser.parse(bytes) } catch {
            // The parser's reason may quote the file ("after member name \"…\""): say it only for
            // a file that names the format, a damaged model file, never for just any file.
            let reason = namesTheFormat(bytes) ? "\(error)" : "at line \(error.line), column \(error.column)"
            throw invalid("\(path) is not a Ballast model file: its JSON is broken (\(reason)).",
                          ["line": .int(Int64(error.line)), "column": .int(Int64(error.column))])
        }
        guard value["format"]?.stringValue == format else {
            throw invalid("\(path) is not a Ballast model file (no \"format\": \"\(format)\").")
        }
        guard let fileVersion = value["version"]?.intValue else { throw invalid("\(path) has no version number.") }
        guard fileVersion == 1 || fileVersion == Int64(version) else {
            throw invalid("\(path) is a version \(fileVersion) model file; this daemon reads versions 1 to \(version).",
                          ["version": .int(fileVersion), "supported": .int(Int64(version))])
        }
        let entry: Models.Entry
        do {
            entry = fileVersion == 1 ? try value.decode(as: ModelFileV1.self).entry() : try value.decode(as: ModelFileV2.self).entry()
        } catch {
            throw invalid("\(path) is not a valid model file: \(error.message)", ["field": error.data?["field"] ?? .null])
        }
        if let damage = damage(of: entry.model) { throw invalid("\(path) is damaged: \(damage).") }
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

    /// What keeps the model's layers from turning its features into its classes, if anything.
    static func damage(of model: TrainedModel) -> String? {
        let features = model.featureNames.count
        guard let first = model.layers.first, first.inputs == features,
              model.layers.allSatisfy({ $0.weights.count == $0.inputs * $0.outputs && $0.bias.count == $0.outputs }) else {
            return "its weights do not fit its \(features) features"
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
            return "its layers (\(sizes.map(String.init).joined(separator: " → "))) do not fit a model of type \(ModelName(model.kind).rawValue) with \(features) features and \(classes) classes"
        }
        return nil
    }
}
