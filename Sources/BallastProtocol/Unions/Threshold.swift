/// `threshold` in `model/train`, `model/evaluate` and `model/predict`: how a binary model turns
/// P(positive) into a class. One of `"standard"` (0.5; multiclass data takes the argmax), a
/// number strictly between 0 and 1, or `"best_f1"` (the threshold maximising the positive class's
/// F1 on validation data). Decoding accepts exactly these.
public enum Threshold: Codable, Sendable, Equatable {
    case standard
    case value(Double)
    case bestF1

    static let standardName = "standard"
    static let bestF1Name = "best_f1"
    /// The words a threshold may be besides a number.
    public static let names = [standardName, bestF1Name]
    /// What a person reads when a threshold cannot be decoded.
    static let expectation = "threshold must be \"standard\", \"best_f1\" or a number between 0 and 1."

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Double.self) {
            guard number > 0 && number < 1 else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "A threshold must lie strictly between 0 and 1, got \(number).")
            }
            self = .value(number)
            return
        }
        switch try? container.decode(String.self) {
        case Self.standardName?: self = .standard
        case Self.bestF1Name?: self = .bestF1
        default: throw DecodingError.dataCorruptedError(in: container, debugDescription: Self.expectation)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .standard: try container.encode(Self.standardName)
        case .value(let t): try container.encode(t)
        case .bestF1: try container.encode(Self.bestF1Name)
        }
    }
}
