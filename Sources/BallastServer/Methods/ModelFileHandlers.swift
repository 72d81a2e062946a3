import BallastML
import BallastProtocol
import Foundation

/// The model file: versioned JSON, written atomically.
///
/// `{"format": "ballast-model", "version": 1, "model": …, "config": …, "trained_on": …, "loss": …,
/// "threshold": …}`. A reader refuses another format, a newer version, and a file whose weights
/// do not fit its own feature list.
enum ModelFile {
    static let format = "ballast-model"
    static let version = 1

    static func encode(_ entry: Models.Entry) throws -> [UInt8] {
        guard case .object(var members) = try JSONValue(encoding: entry) else { return [] }
        members["format"] = .string(format)
        members["version"] = .int(Int64(version))
        return JSONWriter.data(.object(members), pretty: true) + [UInt8(ascii: "\n")]
    }

    static func decode(_ bytes: [UInt8], path: String) throws -> Models.Entry {
        func invalid(_ message: String, _ extra: [String: JSONValue] = [:]) -> RPCError {
            RPCError(code: ErrorCode.invalidData, message: message, data: .object(["path": .string(path)].merging(extra) { a, _ in a }))
        }
        let value: JSONValue
        do { value = try JSONParser.parse(bytes) } catch {
            throw invalid("\(path) is not a Ballast model file: its JSON is broken (\(error)).",
                          ["line": .int(Int64(error.line)), "column": .int(Int64(error.column))])
        }
        guard value["format"]?.stringValue == format else {
            throw invalid("\(path) is not a Ballast model file (no \"format\": \"\(format)\").")
        }
        guard let fileVersion = value["version"]?.intValue else { throw invalid("\(path) has no version number.") }
        guard fileVersion == Int64(version) else {
            throw invalid("\(path) is a version \(fileVersion) model file; this daemon reads version \(version).",
                          ["version": .int(fileVersion), "supported": .int(Int64(version))])
        }
        let entry: Models.Entry
        do { entry = try value.decode(as: Models.Entry.self) } catch {
            throw invalid("\(path) is not a valid model file: \(error.message)", ["field": error.data?["field"] ?? .null])
        }
        let features = entry.model.featureNames.count
        guard let first = entry.model.layers.first, first.inputs == features,
              entry.model.layers.allSatisfy({ $0.weights.count == $0.inputs * $0.outputs && $0.bias.count == $0.outputs }) else {
            throw invalid("\(path) is damaged: its weights do not fit its \(features) features.")
        }
        return entry
    }
}

extension Handlers {
    /// `model/save`, `model/load`.
    func registerModelFiles(into table: inout MethodTable) {
        table.register(ModelSave.self) { params, _ in
            let entry = try models.entry(params.model)
            let path = Self.absolutePath(params.path)
            let bytes = try ModelFile.encode(entry)
            try Self.writeAtomically(bytes, to: path)
            return ModelSave.Result(path: path, bytes: bytes.count)
        }
        table.register(ModelLoad.self) { params, _ in
            let path = Self.absolutePath(params.path)
            guard let data = FileManager.default.contents(atPath: path) else {
                let exists = FileManager.default.fileExists(atPath: path)
                throw RPCError(code: exists ? ErrorCode.invalidData : ErrorCode.notFound,
                               message: exists ? "Cannot read \(path)." : "No file at \(path).", data: ["path": .string(path)])
            }
            var entry = try ModelFile.decode(Array(data), path: path)
            entry.run = nil  // the run that trained it belonged to another daemon, or is gone
            if let name = params.dataset {
                try Self.checkFeatures(entry.model, try workspace.dataset(name), field: "dataset", classes: false)
            }
            let name = params.name ?? Self.defaultName(for: path)
            try models.store(name, entry)
            return models.summary(name, entry)
        }
    }

    /// A temporary file beside the target, renamed over it: a reader never sees half a file.
    static func writeAtomically(_ bytes: [UInt8], to path: String) throws {
        let temporary = path + ".\(getpid()).tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(bytes)) else {
            throw RPCError(code: ErrorCode.invalidData, message: "Cannot write \(path): \(String(cString: strerror(errno))).",
                           data: ["path": .string(path)])
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw RPCError(code: ErrorCode.invalidData, message: "Cannot write \(path): \(reason).", data: ["path": .string(path)])
        }
    }
}
