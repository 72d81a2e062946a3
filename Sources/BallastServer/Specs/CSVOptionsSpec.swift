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
        header = Header(params.header ?? .auto)
        switch params.delimiter {
        case nil: delimiter = nil
        case "\t"?: delimiter = DelimiterName.tab.byte
        case let name?: delimiter = try DelimiterName.parse(name, field: "delimiter").byte
        }
        missing = MissingPolicy(params.missing ?? .error)
        if let levels = params.maxLevels {
            guard levels >= 0 else { throw .invalidParams("max_levels must be 0 or more.", field: "max_levels") }
            maxCategoricalLevels = levels
        }
    }
}
