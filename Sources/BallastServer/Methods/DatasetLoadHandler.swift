import BallastML
import BallastProtocol
import Foundation

extension DataError: RPCErrorConvertible {
    /// A missing file is "not found"; a file that cannot be used is "invalid data"; a bad option
    /// is "invalid params". `data` says where: path, line, column, the column's name, and the kind.
    public var rpcError: RPCError {
        var data: [String: JSONValue] = ["kind": .string(kind.rawValue)]
        if let path { data["path"] = .string(path) }
        if let line { data["line"] = .int(Int64(line)) }
        if let column { data["column"] = .int(Int64(column)) }
        if let field { data["field"] = .string(field) }
        let code = switch kind {
        case .fileNotFound: ErrorCode.notFound
        case .invalidOption: ErrorCode.invalidParams
        default: ErrorCode.invalidData
        }
        return RPCError(code: code, message: message, data: .object(data))
    }
}

extension Handlers {
    /// `dataset/load`.
    func registerDatasetLoad(into table: inout MethodTable) {
        table.register(DatasetLoad.self) { params, context in
            let path = Self.absolutePath(params.path)
            let options = try csvOptions(params)
            // A numeric CSV needs at least two bytes of text per four-byte float, so twice the
            // file's size bounds the matrix: refuse before reading rather than after.
            let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int ?? 0
            if workspace.bytesUsed + 2 * size > workspace.memoryBudget {
                throw RPCError(code: ErrorCode.resourceLimit,
                               message: "Loading \(path) (\(Workspace.megabytes(size)) of text) could need up to \(Workspace.megabytes(2 * size)), more than the \(Workspace.megabytes(workspace.memoryBudget - workspace.bytesUsed)) left of the memory budget; drop a dataset or raise --memory-budget.",
                               data: ["path": .string(path), "memory_budget": .int(Int64(workspace.memoryBudget))])
            }
            context.progress(.begin, ["title": .string("Loading \(path)")])
            let started = Date()
            let table = try CSVLoader.load(path: path, options: options)
            let seconds = Date().timeIntervalSince(started)
            let name = params.name ?? Self.defaultName(for: path)
            let replaced = try workspace.store(name, .init(dataset: table.dataset, origin: "loaded",
                                                           missingPerFeature: table.missingPerFeature))
            context.progress(.end, ["message": .string("Loaded \(table.dataset.rowCount) rows")])
            return DatasetLoad.Result(dataset: DatasetSummary(name: name, dataset: table.dataset, replaced: replaced),
                                      droppedRows: table.droppedRows, encodedColumns: table.encodedColumns,
                                      seconds: seconds, megabytesPerSecond: Double(size) / 1_000_000 / max(seconds, 1e-9))
        }
    }

    private func csvOptions(_ params: DatasetLoad.Params) throws -> CSVOptions {
        var options = CSVOptions()
        switch params.label {
        case nil: options.label = .last
        case .string(let name)?: options.label = .name(name)
        case let value? where value.intValue != nil && value.intValue! >= 0: options.label = .index(Int(value.intValue!))
        default:
            throw RPCError.invalidParams("label must be a column name (a string) or a 0-based column index.", field: "label")
        }
        options.positive = params.positive
        if let header = params.header {
            guard let mode = CSVOptions.Header(rawValue: header) else {
                throw RPCError.invalidParams("header must be auto, present or absent, not '\(header)'.", field: "header")
            }
            options.header = mode
        }
        switch params.delimiter {
        case nil, "auto"?: options.delimiter = nil
        case "tab"?, "\t"?: options.delimiter = UInt8(ascii: "\t")
        case let text? where [",", ";", "|"].contains(text): options.delimiter = text.utf8.first
        case let text?:
            throw RPCError.invalidParams("delimiter must be auto, ',', ';', '|' or tab, not '\(text)'.", field: "delimiter")
        }
        if let missing = params.missing {
            guard let policy = CSVOptions.MissingPolicy(rawValue: missing) else {
                throw RPCError.invalidParams("missing must be error, drop_rows or impute_mean, not '\(missing)'.", field: "missing")
            }
            options.missing = policy
        }
        if let levels = params.maxLevels {
            guard levels >= 0 else { throw RPCError.invalidParams("max_levels must be 0 or more.", field: "max_levels") }
            options.maxCategoricalLevels = levels
        }
        return options
    }

    /// Relative paths are the daemon's business: resolve them against its working directory
    /// (clients that know better send absolute paths), and expand `~`.
    static func absolutePath(_ path: String) -> String {
        let expanded = (path as NSString).expandingTildeInPath
        if expanded.hasPrefix("/") { return expanded }
        return FileManager.default.currentDirectoryPath + "/" + expanded
    }

    /// `data/cards.csv` → `cards`.
    static func defaultName(for path: String) -> String {
        let base = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        let cleaned = String(base.map { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == "." ? $0 : "_" })
        return cleaned.isEmpty || cleaned.hasPrefix(".") ? "data" : cleaned
    }
}
