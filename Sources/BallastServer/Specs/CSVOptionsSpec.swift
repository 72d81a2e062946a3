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
        keepColumns = params.columns?.map(Self.column)
        ignoreColumns = params.ignore?.map(Self.column) ?? []
        idColumn = params.id.map(Self.column)
        // A file matched to a schema has its classes checked against the schema's instead.
        labelsMustBeClasses = params.schema == nil
        if params.unseenLevels != nil && params.schema == nil {
            throw .invalidParams("unseen_levels applies to a file loaded with a schema.", field: "unseen_levels")
        }
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
        badLines = BadLinePolicy(params.onBadLines ?? .error)
        encoding = TextEncoding(params.encoding ?? .auto)
        decimal = DecimalMark(params.decimal ?? .point)
        if decimal == .comma && delimiter == UInt8(ascii: ",") {
            throw .invalidParams("decimal ',' needs another delimiter than ','; European files use ';'.", field: "decimal")
        }
        if let classes = params.maxClasses {
            guard classes >= 2 else { throw .invalidParams("max_classes must be 2 or more.", field: "max_classes") }
            maxClasses = classes
        }
    }

    static func column(_ ref: BallastProtocol.ColumnRef) -> CSVOptions.ColumnRef {
        switch ref {
        case .name(let name): .name(name)
        case .index(let index): .index(index)
        }
    }
}
