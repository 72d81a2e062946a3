/// `dataset/load`: reads a CSV or TSV file into daemon memory.
public enum DatasetLoad: RequestMethod {
    public static let method = "dataset/load"

    public struct Params: Codable, Sendable, Equatable, KnownFields {
        public static let fieldNames = ["path", "name", "label", "positive", "header", "delimiter", "missing",
                                        "max_levels", "schema", "unseen_levels", "progress_token"]
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
        /// A dataset or model whose columns this file must have: it is then encoded exactly as that
        /// one was (same columns, same one-hot levels, same order), the normal way to load a test file.
        public var schema: String?
        /// With `schema`: a text level it never saw is an error (default) or encoded as zeros.
        public var unseenLevels: UnseenLevelsName?
        public var progressToken: JSONValue?

        public init(path: String, name: String? = nil, label: JSONValue? = nil, positive: String? = nil,
                    header: HeaderModeName? = nil, delimiter: String? = nil, missing: MissingPolicyName? = nil, maxLevels: Int? = nil) {
            self.path = path
            self.name = name
            self.label = label
            self.positive = positive
            self.header = header
            self.delimiter = delimiter
            self.missing = missing
            self.maxLevels = maxLevels
        }

        enum CodingKeys: String, CodingKey {
            case path, name, label, positive, header, delimiter, missing
            case schema
            case maxLevels = "max_levels"
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
        public var seconds: Double
        public var megabytesPerSecond: Double
        /// What the loader decided for the person to know (matching to `schema`, …).
        public var warnings: [String]?

        public init(dataset: DatasetSummary, droppedRows: Int, encodedColumns: [String], seconds: Double, megabytesPerSecond: Double) {
            self.dataset = dataset
            self.droppedRows = droppedRows
            self.encodedColumns = encodedColumns
            self.seconds = seconds
            self.megabytesPerSecond = megabytesPerSecond
        }

        enum CodingKeys: String, CodingKey {
            case dataset, seconds
            case droppedRows = "dropped_rows"
            case encodedColumns = "encoded_columns"
            case warnings
            case megabytesPerSecond = "mb_per_s"
        }
    }
}
