/// How `CSVLoader` reads a delimited text file (CSV, TSV, `;`- or `|`-separated).
public struct CSVOptions: Sendable {
    /// Whether the first record names the columns. `.auto` decides from the first record: it is a
    /// header when any of its fields, other than the label column, is text (neither a number nor a
    /// missing-value marker). A label given by name always implies a header.
    public enum Header: Sendable { case auto, present, absent }
    /// Which source column holds the class label. `index` is 0-based.
    public enum LabelColumn: Sendable, Equatable { case last, index(Int), name(String) }
    /// What to do with missing feature cells (empty, `NA`, `NaN`, `?`). A missing label is always an error.
    public enum MissingPolicy: Sendable { case error, dropRows, imputeMean }

    public var header: Header = .auto
    /// Field separator; `nil` detects it among `,` `;` tab `|`.
    public var delimiter: UInt8? = nil
    public var label: LabelColumn = .last
    /// Binary data only: the label text of the positive (rare) class. Default: the minority class
    /// (on a tie, the label that sorts last).
    public var positive: String? = nil
    public var missing: MissingPolicy = .error
    /// Most distinct values a text feature column may have to be one-hot encoded.
    public var maxCategoricalLevels: Int = 32
    /// Longest record accepted, in bytes.
    public var maxLineBytes: Int = 1 << 20
    /// Parser threads; 0 uses every core.
    public var threads: Int = 0
    public init() {}
}

/// What `CSVLoader` produces: the dataset plus what was learned while reading it.
public struct LoadedTable: Sendable {
    public var dataset: Dataset
    /// Missing cells seen per feature column, aligned with `dataset.featureNames`, counted before
    /// imputation or row dropping. One-hot columns carry the count of their source column.
    public var missingPerFeature: [Int]
    /// Rows removed by `MissingPolicy.dropRows`.
    public var droppedRows: Int
    /// Names of the source columns that were one-hot encoded.
    public var encodedColumns: [String]

    public init(dataset: Dataset, missingPerFeature: [Int], droppedRows: Int, encodedColumns: [String]) {
        self.dataset = dataset
        self.missingPerFeature = missingPerFeature
        self.droppedRows = droppedRows
        self.encodedColumns = encodedColumns
    }
}

/// Why a table could not be loaded. `message` is one sentence meant for a person.
public struct DataError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, CaseIterable {
        case fileNotFound, permissionDenied, isDirectory
        case empty, headerOnly, raggedRow, notNumeric
        case missingValue, nonFinite, singleClass
        case labelColumnMissing, lineTooLong, binary
        case tooManyLevels, unknownPositive, invalidOption
    }
    public var kind: Kind
    public var message: String
    public var path: String?
    /// 1-based physical line in the file.
    public var line: Int?
    /// 1-based field (column) number.
    public var column: Int?
    /// Column name where known.
    public var field: String?

    public init(kind: Kind, message: String, path: String? = nil, line: Int? = nil,
                column: Int? = nil, field: String? = nil) {
        self.kind = kind
        self.message = message
        self.path = path
        self.line = line
        self.column = column
        self.field = field
    }

    public var description: String { "\(kind): \(message)" }
}
