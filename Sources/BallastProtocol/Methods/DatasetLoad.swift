/// `dataset/load`: reads a CSV or TSV file into daemon memory.
public enum DatasetLoad: RequestMethod {
    public static let method = "dataset/load"

    public struct Params: Codable, Sendable, Equatable, KnownFields {
        public static let fieldNames = ["path", "name", "label", "positive", "header", "delimiter", "missing",
                                        "max_levels", "on_bad_lines", "encoding", "decimal", "max_classes",
                                        "schema", "unseen_levels", "columns", "ignore", "id", "progress_token", "keep", "storage"]
        public var path: String
        /// Default: the file name without its extension.
        public var name: String?
        /// The label column: a name (string) or a 0-based index (integer). Default: the last column.
        public var label: JSONValue?
        /// Binary data: the label of the positive (rare) class. Default: the minority class.
        public var positive: String?
        /// `auto` (default), `present` or `absent`.
        public var header: HeaderModeName?
        /// `auto` (default), or one of `,` `;` `\t` `|` (also `tab`).
        public var delimiter: String?
        /// `error` (default), `drop_rows` or `impute_mean`.
        public var missing: MissingPolicyName?
        /// Text feature columns with at most this many distinct values are one-hot encoded (default 32).
        public var maxLevels: Int?
        /// `error` (default) or `skip`: a record with the wrong number of fields.
        public var onBadLines: OnBadLinesName?
        /// `auto` (default: UTF-8, falling back to cp1252 with a warning), `utf-8`, `latin-1`, `cp1252`.
        public var encoding: EncodingName?
        /// `.` (default), `,` or `auto` (a comma when the delimiter is `;` and the numbers use one).
        public var decimal: DecimalName?
        /// Most distinct labels accepted (default 1000).
        public var maxClasses: Int?
        /// A dataset or model whose columns this file must have: it is then encoded exactly as that
        /// one was (same columns, same one-hot levels, same order), the normal way to load a test file.
        public var schema: String?
        /// The only columns to use as features, by name or index (the label and `id` are kept besides).
        public var columns: [ColumnRef]?
        /// Columns to leave out, by name or index.
        public var ignore: [ColumnRef]?
        /// A column that identifies rows: kept beside the data (returned by `model/predict` and
        /// `dataset/head`), never a feature.
        public var id: ColumnRef?
        /// With `schema`: a text level it never saw is an error (default) or encoded as zeros.
        public var unseenLevels: UnseenLevelsName?
        public var progressToken: JSONValue?
        /// Whether what it makes is kept across restarts (default true; nothing is kept by a daemon
        /// started with `--no-keep-datasets` or `--ephemeral`). Not kept, a dataset lives in memory
        /// only, and only its provenance is recorded.
        public var keep: Bool?
        /// `memory` (default): the features are parsed into daemon memory. `disk`: the file is
        /// streamed window by window into a row file in the daemon's spill folder, its features
        /// mapped on demand (numeric features only; no `schema`, no `missing: impute_mean`).
        public var storage: DatasetStorageName?

        public init(path: String, name: String? = nil, label: JSONValue? = nil, positive: String? = nil,
                    header: HeaderModeName? = nil, delimiter: String? = nil, missing: MissingPolicyName? = nil, maxLevels: Int? = nil,
                    onBadLines: OnBadLinesName? = nil, encoding: EncodingName? = nil, decimal: DecimalName? = nil,
                    maxClasses: Int? = nil) {
            self.path = path
            self.name = name
            self.label = label
            self.positive = positive
            self.header = header
            self.delimiter = delimiter
            self.missing = missing
            self.maxLevels = maxLevels
            self.onBadLines = onBadLines
            self.encoding = encoding
            self.decimal = decimal
            self.maxClasses = maxClasses
        }

        enum CodingKeys: String, CodingKey {
            case path, name, label, positive, header, delimiter, missing, encoding, decimal
            case maxLevels = "max_levels"
            case onBadLines = "on_bad_lines"
            case maxClasses = "max_classes"
            case schema, columns, ignore, id, keep, storage
            case unseenLevels = "unseen_levels"
            case progressToken = "progress_token"
        }
    }

    public struct Result: Codable, Sendable, Equatable {
        public var dataset: DatasetSummary
        /// Rows dropped by `missing: drop_rows`.
        public var droppedRows: Int
        /// Text columns that were one-hot encoded.
        public var encodedColumns: [String]
        /// Bad lines skipped by `on_bad_lines: skip`.
        public var skippedLines: SkippedLines
        /// What a person should know about how the file was read (an encoding fallback, the
        /// matching to `schema`); empty when there is nothing to say.
        public var warnings: [String]
        public var seconds: Double
        public var megabytesPerSecond: Double

        public init(dataset: DatasetSummary, droppedRows: Int, encodedColumns: [String],
                    skippedLines: SkippedLines = SkippedLines(count: 0, first: []), warnings: [String] = [],
                    seconds: Double, megabytesPerSecond: Double) {
            self.dataset = dataset
            self.droppedRows = droppedRows
            self.encodedColumns = encodedColumns
            self.skippedLines = skippedLines
            self.warnings = warnings
            self.seconds = seconds
            self.megabytesPerSecond = megabytesPerSecond
        }

        enum CodingKeys: String, CodingKey {
            case dataset, seconds, warnings
            case skippedLines = "skipped_lines"
            case droppedRows = "dropped_rows"
            case encodedColumns = "encoded_columns"
            case megabytesPerSecond = "mb_per_s"
        }

        /// A 1.2 daemon sends neither `skipped_lines` nor `warnings`: none skipped, nothing to say.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            dataset = try c.decode(DatasetSummary.self, forKey: .dataset)
            droppedRows = try c.decode(Int.self, forKey: .droppedRows)
            encodedColumns = try c.decode([String].self, forKey: .encodedColumns)
            skippedLines = try c.decodeIfPresent(SkippedLines.self, forKey: .skippedLines) ?? SkippedLines(count: 0, first: [])
            warnings = try c.decodeIfPresent([String].self, forKey: .warnings) ?? []
            seconds = try c.decode(Double.self, forKey: .seconds)
            megabytesPerSecond = try c.decode(Double.self, forKey: .megabytesPerSecond)
        }
    }

    /// How many bad lines were skipped, and the first line numbers (1-based, at most 10).
    public struct SkippedLines: Codable, Sendable, Equatable {
        public var count: Int
        public var first: [Int]

        public init(count: Int, first: [Int]) {
            self.count = count
            self.first = first
        }
    }
}
