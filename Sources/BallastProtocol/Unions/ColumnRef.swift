/// A column of a file, by its header name (a string) or its 0-based position (an integer):
/// `dataset/load`'s `columns`, `ignore` and `id`.
public enum ColumnRef: Codable, Sendable, Equatable {
    case name(String)
    case index(Int)

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let index = try? container.decode(Int.self) {
            guard index >= 0 else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "A column index is 0 or more, got \(index).")
            }
            self = .index(index)
        } else if let name = try? container.decode(String.self) {
            self = .name(name)
        } else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "A column is a name (a string) or a 0-based index (an integer).")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .name(let name): try container.encode(name)
        case .index(let index): try container.encode(index)
        }
    }
}
