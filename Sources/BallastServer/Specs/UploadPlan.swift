import BallastML
import BallastProtocol
import Foundation

/// What the first chunk of a `dataset/put` says the dataset is, checked: its name, its input
/// columns (numeric, or text with levels one-hot encoded as `dataset/load` encodes a text
/// column), its classes and the label column's name.
struct UploadPlan: Sendable {
    enum Input: Sendable {
        case numeric
        /// A text column whose cells are level codes, 0 ≤ code < `levels`.
        case text(levels: Int)
    }

    let name: String
    let schema: DatasetSchema
    /// Each input column (a column of the features matrix the client sends), in order.
    let inputs: [Input]
    let classes: [String]
    let positive: String?
    let labelName: String
    let keep: Bool?
    /// Whether the first chunk sent ids: then every chunk must, else none may.
    let hasIDs: Bool
    let totalRows: Int?

    var inputWidth: Int { inputs.count }
    var featureWidth: Int { schema.featureNames.count }
    var textColumns: [String] {
        schema.columns.compactMap { if case .categorical(let name, _) = $0 { name } else { nil } }
    }

    /// The default label column name.
    static let defaultLabel = "label"

    init(_ params: DatasetPut.Params, raw: JSONValue) throws(RPCError) {
        guard let name = params.name else {
            throw RPCError.invalidParams("The first chunk of dataset/put names the dataset: send 'name' (or 'upload' to continue an upload).",
                                         field: "name")
        }
        try Workspace.validate(name: name)
        guard let columns = params.columns, !columns.isEmpty else {
            throw RPCError.invalidParams("Send 'columns': one {name, kind?, levels?} per column of the features matrix, in its order.",
                                         field: "columns")
        }
        var schemaColumns: [DatasetSchema.Column] = [], inputs: [Input] = []
        for (index, column) in columns.enumerated() {
            let field = "columns[\(index)]"
            try DatasetPut.Column.checkFields(raw["columns"]?.arrayValue?[index] ?? .null, path: field)
            guard !column.name.isEmpty else {
                throw RPCError.invalidParams("Column \(index) has an empty name; every column needs one.", field: "\(field).name")
            }
            switch column.kind ?? "numeric" {
            case "numeric":
                guard column.levels == nil else {
                    throw RPCError.invalidParams("The numeric column '\(column.name)' has levels; only a text column (kind \"text\") has levels.",
                                                 field: "\(field).levels")
                }
                schemaColumns.append(.numeric(name: column.name))
                inputs.append(.numeric)
            case "text":
                guard let levels = column.levels, !levels.isEmpty else {
                    throw RPCError.invalidParams("The text column '\(column.name)' needs its levels: the cells are codes into them.",
                                                 field: "\(field).levels")
                }
                if let twice = Self.firstDuplicate(levels) {
                    throw RPCError.invalidParams("The text column '\(column.name)' lists the level '\(twice)' twice; each level once.",
                                                 field: "\(field).levels")
                }
                schemaColumns.append(.categorical(name: column.name, levels: levels))
                inputs.append(.text(levels: levels.count))
            case let other:
                let hint = Suggestion.closest(to: other, among: DatasetPut.Column.kinds).map { " Did you mean '\($0)'?" } ?? ""
                throw RPCError(code: ErrorCode.invalidParams,
                               message: "There is no column kind named '\(other)' (kinds: \(DatasetPut.Column.kinds.joined(separator: ", "))).\(hint)",
                               data: ["field": .string("\(field).kind"), "known": .array(DatasetPut.Column.kinds.map { .string($0) })])
            }
        }
        let schema = DatasetSchema(columns: schemaColumns)
        if let twice = Self.firstDuplicate(schema.featureNames) {
            throw RPCError.invalidParams("Two columns would both make the feature '\(twice)'; name the columns apart.", field: "columns")
        }
        guard let classes = params.classes, !classes.isEmpty else {
            throw RPCError.invalidParams("Send 'classes': the label of each class index the labels buffer holds.", field: "classes")
        }
        if let twice = Self.firstDuplicate(classes) {
            throw RPCError.invalidParams("The class '\(twice)' is listed twice in 'classes'; each label once.", field: "classes")
        }
        if let positive = params.positive, !classes.contains(positive) {
            throw RPCError.invalidParams("The positive class '\(positive)' is not among the classes (\(classes.prefix(20).joined(separator: ", "))).",
                                         field: "positive")
        }
        let labelName = params.label ?? Self.defaultLabel
        guard !labelName.isEmpty else { throw RPCError.invalidParams("The label column's name is empty.", field: "label") }
        if schemaColumns.contains(where: { $0.name == labelName }) {
            throw RPCError.invalidParams("The label column's name '\(labelName)' is also a feature column's; name them apart.", field: "label")
        }
        if let total = params.totalRows, total < 1 {
            throw RPCError.invalidParams("total_rows must be at least 1, got \(total).", field: "total_rows")
        }
        self.name = name
        self.schema = schema
        self.inputs = inputs
        self.classes = classes
        self.positive = params.positive
        self.labelName = labelName
        self.keep = params.keep
        self.hasIDs = params.ids != nil
        self.totalRows = params.totalRows
    }

    /// What the store records as how the dataset was made: the first chunk's description, with
    /// the rows in all; never the data.
    func provenanceParams(rows: Int) -> DatasetPut.Params {
        let columns = schema.columns.map { column -> DatasetPut.Column in
            switch column {
            case .numeric(let name): DatasetPut.Column(name: name)
            case let .categorical(name, levels): DatasetPut.Column(name: name, kind: "text", levels: levels)
            }
        }
        return DatasetPut.Params(name: name, columns: columns, classes: classes, positive: positive, label: labelName,
                                 totalRows: rows)
    }

    private static func firstDuplicate(_ values: [String]) -> String? {
        var seen = Set<String>()
        return values.first { !seen.insert($0).inserted }
    }
}
