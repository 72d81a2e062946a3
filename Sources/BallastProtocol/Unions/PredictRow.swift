/// A row of `model/predict`'s `rows`: the feature values in the model's order, or an object keyed
/// by column name, whose text columns take their level as a string (`{"amount": 12.5,
/// "country": "DE"}`) and are one-hot encoded as the model was trained.
public enum PredictRow: Codable, Sendable, Equatable {
    case values([Double])
    case named([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let values = try? container.decode([Double].self) {
            self = .values(values)
        } else if let named = try? container.decode([String: JSONValue].self) {
            self = .named(named)
        } else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "A row is an array of numbers or an object of column values.")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .values(let values): try container.encode(values)
        case .named(let named): try container.encode(named)
        }
    }
}
