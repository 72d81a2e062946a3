import BallastML
import BallastProtocol
import BallastTransport
import Foundation

extension Handlers {
    /// `model/save`, `model/load`: the model file (`ModelFile`), written atomically.
    func registerModelFiles(into table: inout MethodTable) {
        table.register(ModelSave.self) { params, _ in
            let entry = try models.entry(params.model)
            let path = Self.absolutePath(params.path)
            let bytes = try ModelFile.encode(entry)
            try AtomicFile.write(bytes, to: path)
            return ModelSave.Result(path: path, bytes: bytes.count)
        }
        table.register(ModelLoad.self) { params, _ in
            let path = Self.absolutePath(params.path)
            guard let data = FileManager.default.contents(atPath: path) else {
                let exists = FileManager.default.fileExists(atPath: path)
                throw RPCError(code: exists ? ErrorCode.invalidData : ErrorCode.notFound,
                               message: exists ? "Cannot read \(path)." : "No file at \(path).", data: ["path": .string(path)])
            }
            let entry = try ModelFile.decode(Array(data), path: path)
            if let name = params.dataset {
                let data = try workspace.dataset(name)
                _ = try Self.align(data, named: name, field: "dataset", to: entry.model.schema, classes: data.classLabels,
                                   positive: data.positiveClass)
            }
            let name = params.name ?? Self.defaultName(for: path)
            try models.store(name, entry)
            return models.summary(name, entry)
        }
    }
}
