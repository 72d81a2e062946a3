/// How `CSVLoader` reads a delimited text file (CSV, TSV, `;`- or `|`-separated).
public struct CSVOptions: Sendable {
    /// Whether the first record names the columns. `.auto` judges by type consistency, as CSV
    /// sniffers do: the first record is a header when one of its fields is text where the column
    /// below it is numeric. With no record below to compare with, it is a header when any field
    /// other than the label's is text. A label given by name always implies a header.
    public enum Header: Sendable { case auto, present, absent }
    /// Which source column holds the class label. `index` is 0-based.
    public enum LabelColumn: Sendable, Equatable { case last, index(Int), name(String) }
    /// A column by its header name or its 0-based position.
    public enum ColumnRef: Sendable, Equatable { case index(Int), name(String) }
    /// What to do with missing feature cells (empty, `NA`, `NaN`, `?`). A missing label is always an error.
    public enum MissingPolicy: Sendable { case error, dropRows, imputeMean }
    /// What to do with a bad line: a record whose field count differs from the first record's.
    /// Only the field count makes a line bad; a text cell in a numeric column is a data error
    /// whatever this says (dropping it would hide a mistyped value).
    public enum BadLinePolicy: Sendable { case error, skip }
    /// How text bytes become characters. `.auto` reads UTF-8 and falls back to cp1252 (with a
    /// warning) when the bytes are not valid UTF-8. Only labels, text cells and header names are
    /// decoded: delimiters, quotes and numbers are ASCII in all four.
    public enum TextEncoding: Sendable { case auto, utf8, latin1, cp1252 }
    /// The decimal separator of numbers. `.auto` picks a comma when the delimiter is `;` and the
    /// first records hold numbers written with one (as European Excel writes them).
    public enum DecimalMark: Sendable { case auto, point, comma }

    public var header: Header = .auto
    /// Field separator; `nil` detects it among `,` `;` tab `|`.
    public var delimiter: UInt8? = nil
    public var label: LabelColumn = .last
    /// The only columns to use as features (the label and the id column are kept besides); nil: all.
    public var keepColumns: [ColumnRef]? = nil
    /// Columns to leave out entirely: neither parsed as features nor kept.
    public var ignoreColumns: [ColumnRef] = []
    /// A column that identifies rows: kept beside the data as text (`Dataset.ids`), never a feature.
    public var idColumn: ColumnRef? = nil
    /// Refuse a label column that has one class only or does not look like classes. Off for a
    /// held-out file matched to known classes afterwards (a batch of negatives is a fine test set).
    public var labelsMustBeClasses = true
    /// Binary data only: the label text of the positive (rare) class. Default: the minority class
    /// (on a tie, the label that sorts last).
    public var positive: String? = nil
    public var missing: MissingPolicy = .error
    /// Most distinct values a text feature column may have to be one-hot encoded.
    public var maxCategoricalLevels: Int = 32
    public var badLines: BadLinePolicy = .error
    public var encoding: TextEncoding = .auto
    public var decimal: DecimalMark = .point
    /// Most distinct labels accepted. A column with more is almost surely not a class label (an
    /// id, a measurement), and per-class reports of thousands of classes are useless; 1,000 keeps
    /// every real classification task (ImageNet has 1,000 classes) and refuses the rest.
    public var maxClasses: Int = 1000
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

    /// Bad lines skipped (`BadLinePolicy.skip`): how many, and the first 10 line numbers (1-based).
    public var skippedLines: Int
    public var firstSkippedLines: [Int]
    /// What a person should know about how the file was read (an encoding fallback, say).
    public var warnings: [String]

    public init(dataset: Dataset, missingPerFeature: [Int], droppedRows: Int, encodedColumns: [String],
                skippedLines: Int = 0, firstSkippedLines: [Int] = [], warnings: [String] = []) {
        self.dataset = dataset
        self.missingPerFeature = missingPerFeature
        self.droppedRows = droppedRows
        self.encodedColumns = encodedColumns
        self.skippedLines = skippedLines
        self.firstSkippedLines = firstSkippedLines
        self.warnings = warnings
    }

    /// How many skipped line numbers `firstSkippedLines` keeps.
    public static let skippedLinesShown = 10
}

/// Why a table could not be loaded. `message` is one sentence meant for a person.
public struct DataError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, CaseIterable {
        case fileNotFound, permissionDenied, isDirectory
        case empty, headerOnly, raggedRow, notNumeric
        case missingValue, nonFinite, singleClass
        case labelColumnMissing, lineTooLong, binary
        case tooManyLevels, unknownPositive, invalidOption
        case invalidEncoding, tooManyClasses, continuousLabel, duplicateColumn, notARegularFile
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
