/// `dataset/put`: a dataset sent by the client as binary buffers, in one message or in chunks
/// (an upload), instead of read from a file. The last chunk's result is `dataset/load`'s.
public enum DatasetPut: RequestMethod {
    public static let method = "dataset/put"
    /// An upload with no chunk for this long is discarded.
    public static let idleSeconds: Double = 600

    /// The first (or only) chunk says what the dataset is (`name`, `columns`, `classes`, …); later
    /// chunks send `upload` with `rows`, `features`, `labels`, `ids` and `more` only; `{upload,
    /// abort: true}` discards an upload.
    public struct Params: Codable, Sendable, Equatable, KnownFields {
        public static let fieldNames = ["name", "columns", "classes", "positive", "label", "rows", "features", "labels",
                                        "ids", "total_rows", "more", "keep", "upload", "abort", "progress_token"]
        public static let nestedFields: [String: any KnownFields.Type] = ["features": BufferReference.self,
                                                                           "labels": BufferReference.self]
        /// The fields only the first chunk may carry.
        public static let firstChunkFields = ["name", "columns", "classes", "positive", "label", "total_rows", "keep"]

        public var name: String?
        /// The input columns, in the order of the features matrix's columns.
        public var columns: [Column]?
        /// The label of each class index.
        public var classes: [String]?
        /// Binary data: the label of the positive (rare) class. Default: the minority class.
        public var positive: String?
        /// The label column's name (default "label"), for `dataset/get`.
        public var label: String?
        /// This chunk's rows.
        public var rows: Int?
        /// float32, `rows × columns`, row-major; a text column's cells are its level codes.
        public var features: BufferReference?
        /// int32 class indices into `classes`, one per row.
        public var labels: BufferReference?
        /// One identifier per row of this chunk.
        public var ids: [String]?
        /// The upload's rows in all, when known: its memory is then checked at the first chunk.
        public var totalRows: Int?
        /// True: more chunks follow (default false: this is the last).
        public var more: Bool?
        /// As `dataset/load`'s.
        public var keep: Bool?
        /// The upload a later chunk belongs to.
        public var upload: String?
        /// With `upload` alone: discard that upload.
        public var abort: Bool?
        public var progressToken: JSONValue?

        public init(name: String? = nil, columns: [Column]? = nil, classes: [String]? = nil, positive: String? = nil,
                    label: String? = nil, rows: Int? = nil, features: BufferReference? = nil, labels: BufferReference? = nil,
                    ids: [String]? = nil, totalRows: Int? = nil, more: Bool? = nil, keep: Bool? = nil,
                    upload: String? = nil, abort: Bool? = nil) {
            self.name = name
            self.columns = columns
            self.classes = classes
            self.positive = positive
            self.label = label
            self.rows = rows
            self.features = features
            self.labels = labels
            self.ids = ids
            self.totalRows = totalRows
            self.more = more
            self.keep = keep
            self.upload = upload
            self.abort = abort
        }

        enum CodingKeys: String, CodingKey {
            case name, columns, classes, positive, label, rows, features, labels, ids, more, keep, upload, abort
            case totalRows = "total_rows"
            case progressToken = "progress_token"
        }
    }

    /// One input column: numeric (default) or text, whose cells are codes into `levels`.
    public struct Column: Codable, Sendable, Equatable, KnownFields {
        public static let fieldNames = ["name", "kind", "levels"]
        /// The kinds a column may have.
        public static let kinds = ["numeric", "text"]
        public var name: String
        /// `numeric` (default) or `text`.
        public var kind: String?
        /// A text column's levels: code `i` is `levels[i]`, one-hot encoded as the feature `name=levels[i]`.
        public var levels: [String]?

        public init(name: String, kind: String? = nil, levels: [String]? = nil) {
            self.name = name
            self.kind = kind
            self.levels = levels
        }
    }

    /// A chunk that is not the last (or an abort): the upload to send the next chunk to.
    public struct Pending: Codable, Sendable, Equatable {
        public var upload: String
        /// Rows received so far, this chunk's included.
        public var rowsReceived: Int
        /// True when the upload was discarded by `abort`.
        public var aborted: Bool?

        public init(upload: String, rowsReceived: Int, aborted: Bool? = nil) {
            self.upload = upload
            self.rowsReceived = rowsReceived
            self.aborted = aborted
        }

        enum CodingKeys: String, CodingKey {
            case upload, aborted
            case rowsReceived = "rows_received"
        }
    }

    /// `Pending` after a chunk with `more: true` (or an abort); `dataset/load`'s result after the last.
    public enum Result: Codable, Sendable, Equatable {
        case pending(Pending)
        case done(DatasetLoad.Result)

        private enum Keys: String, CodingKey { case upload }

        public init(from decoder: any Decoder) throws {
            if try decoder.container(keyedBy: Keys.self).contains(.upload) {
                self = .pending(try Pending(from: decoder))
            } else {
                self = .done(try DatasetLoad.Result(from: decoder))
            }
        }

        public func encode(to encoder: any Encoder) throws {
            switch self {
            case .pending(let pending): try pending.encode(to: encoder)
            case .done(let result): try result.encode(to: encoder)
            }
        }
    }
}
