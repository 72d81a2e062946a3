/// One source column of a dataset or of the data a model was trained on: numeric, or a text
/// column one-hot encoded into the features `name=level`, one per level in this order.
public struct SchemaColumn: Codable, Sendable, Equatable {
    public var name: String
    /// Present for a text column: its levels, in the order of its features.
    public var levels: [String]?

    public init(name: String, levels: [String]? = nil) {
        self.name = name
        self.levels = levels
    }
}
