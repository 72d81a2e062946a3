/// `dataset/get`: a page of a dataset's rows as binary buffers, for a client to rebuild it (a
/// data frame), as `dataset/put` sends one.
public enum DatasetGet: RequestMethod {
    public static let method = "dataset/get"
    /// The default page keeps the features buffer at most this many bytes.
    public static let defaultPageBytes = 16 << 20

    public struct Params: Codable, Sendable, Equatable, KnownFields {
        public static let fieldNames = ["dataset", "offset", "limit"]
        public var dataset: String
        /// The first row, 0-based (default 0).
        public var offset: Int?
        /// Rows at most (default: as many as keep the features buffer within `defaultPageBytes`).
        public var limit: Int?

        public init(dataset: String, offset: Int? = nil, limit: Int? = nil) {
            self.dataset = dataset
            self.offset = offset
            self.limit = limit
        }
    }

    public struct Result: Codable, Sendable, Equatable {
        public var dataset: String
        public var totalRows: Int
        public var offset: Int
        /// Rows in this page.
        public var rows: Int
        /// The encoded features' names (`country=DE` for a text column's levels), as `dataset/describe` gives them.
        public var featureNames: [String]
        /// The source columns, present when one is text (as `dataset/describe` gives them), so
        /// that a client can turn the one-hot features back into a text column.
        public var columns: [SchemaColumn]?
        /// The label of each class index.
        public var classes: [String]
        public var positive: String?
        /// The label column's name: what `dataset/put` or `dataset/load` called it, else "label".
        public var label: String
        /// float32, `[rows, features]`.
        public var features: TypedBuffer
        /// int32 class indices into `classes`, `[rows]`.
        public var labels: TypedBuffer
        /// The rows' identifiers, when the dataset has them.
        public var ids: [String]?

        public init(dataset: String, totalRows: Int, offset: Int, rows: Int, featureNames: [String], columns: [SchemaColumn]? = nil,
                    classes: [String],
                    positive: String?, label: String, features: TypedBuffer, labels: TypedBuffer, ids: [String]?) {
            self.dataset = dataset
            self.totalRows = totalRows
            self.offset = offset
            self.rows = rows
            self.featureNames = featureNames
            self.columns = columns
            self.classes = classes
            self.positive = positive
            self.label = label
            self.features = features
            self.labels = labels
            self.ids = ids
        }

        enum CodingKeys: String, CodingKey {
            case dataset, offset, rows, columns, classes, positive, label, features, labels, ids
            case totalRows = "total_rows"
            case featureNames = "feature_names"
        }
    }
}
