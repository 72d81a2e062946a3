import BallastML
import BallastProtocol

extension CSVOptions {
    /// How `dataset/load`'s params ask the file to be read.
    init(_ params: DatasetLoad.Params) throws(RPCError) {
        self.init()
        switch params.label {
        case nil: label = .last
        case .string(let name)?: label = .name(name)
        case let value? where (value.intValue ?? -1) >= 0: label = .index(Int(value.intValue!))
        default:
            throw .invalidParams("label must be a column name (a string) or a 0-based column index.", field: "label")
        }
        positive = params.positive
        switch params.header ?? .auto {
        case .auto: header = .auto
        case .present: header = .present
        case .absent: header = .absent
        }
        switch params.delimiter {
        case nil, "auto"?: delimiter = nil
        case "tab"?, "\t"?: delimiter = UInt8(ascii: "\t")
        case let text? where [",", ";", "|"].contains(text): delimiter = text.utf8.first
        case let text?:
            throw .invalidParams("delimiter must be auto, ',', ';', '|' or tab, not '\(text)'.", field: "delimiter")
        }
        switch params.missing ?? .error {
        case .error: missing = .error
        case .dropRows: missing = .dropRows
        case .imputeMean: missing = .imputeMean
        }
        if let levels = params.maxLevels {
            guard levels >= 0 else { throw .invalidParams("max_levels must be 0 or more.", field: "max_levels") }
            maxCategoricalLevels = levels
        }
    }
}
