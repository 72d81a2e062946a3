import BallastML
import BallastProtocol
import BallastTransport
import Foundation

extension Handlers {
    /// `model/save`, `model/load`: the model file (`ModelFile`), written atomically, only inside
    /// the write roots and never over a link, a non-regular or a read-only file (`WriteRoots`).
    func registerModelFiles(into table: inout MethodTable) {
        table.register(ModelSave.self) { params, _ in
            let entry = try models.entry(params.model)
            guard let sent = params.path else {
                return ModelSave.Result(file: try ModelFile.object(entry))
            }
            let path = Self.absolutePath(sent)
            let target = try state.writeRoots.approve(path)
            let bytes = try ModelFile.encode(entry)
            do {
                // Into the folder approved and opened, whatever its path names by now.
                try AtomicFile.write(bytes, named: target.name, in: target.folder)
            } catch let error as AtomicFile.WriteError {
                // Named by the path the client sent, not the resolved one (as AtomicFile+RPCError does).
                throw RPCError(code: ErrorCode.invalidData, message: "Cannot write \(path): \(error.reason).", data: ["path": .string(path)])
            }
            return ModelSave.Result(path: path, bytes: bytes.count)
        }
        table.register(ModelLoad.self) { params, _ in
            let name: String
            let entry: Models.Entry
            switch (params.path, params.file) {
            case let (sent?, nil):
                let path = Self.absolutePath(sent)
                name = params.name ?? Self.defaultName(for: path)
                entry = try readModelFile(path, name: name)
            case let (nil, file?):
                // Its text was the request's, already within --max-message-bytes; the model is
                // counted against the memory budget when it is stored, as a file's is.
                name = params.name ?? models.freeName()
                entry = try ModelFile.decode(file, from: .param("file"))
            default:
                throw RPCError.invalidParams("Give exactly one of 'path' (a model file to read) or 'file' (the model file's object, as model/save without a path gives it).",
                                             field: params.path == nil ? "path" : "file")
            }
            if let name = params.dataset {
                let data = try workspace.dataset(name)
                _ = try Self.align(data, named: name, field: "dataset", to: entry.model.schema, classes: data.classLabels,
                                   positive: data.positiveClass)
            }
            try models.store(name, entry)
            return models.summary(name, entry)
        }
    }

    /// The model in the file at `path`. The file's text is held while it is parsed: a file larger
    /// than what is free is refused before any of it is read (the model it replaces, `name`,
    /// counts as free). Whether the model itself fits is asked when it is stored.
    private func readModelFile(_ path: String, name: String) throws -> Models.Entry {
        let data = try RegularFile.read(path) { (size) throws(RPCError) in
            do throws(RPCError) {
                try workspace.budget.checkRoom(size, doing: "Reading the model file \(path)", replacing: .model(name))
            } catch {
                throw error.adding(["path": .string(path)])
            }
        }
        return try ModelFile.decode(data, path: path)
    }
}
