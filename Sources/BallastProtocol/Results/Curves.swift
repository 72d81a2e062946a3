/// The PR and ROC curves of `model/evaluate`, each downsampled to at most 200 points.
public struct Curves: Codable, Sendable, Equatable {
    /// x = recall, y = precision.
    public var pr: [CurvePoint]
    /// x = false-positive rate, y = true-positive rate.
    public var roc: [CurvePoint]

    public init(pr: [CurvePoint], roc: [CurvePoint]) {
        self.pr = pr
        self.roc = roc
    }
}

/// One point of a curve, reached at P(positive) ≥ `threshold`. The curves' end point is reached
/// by no probability: its threshold is +∞, written `null` (JSON has no infinity).
public struct CurvePoint: Codable, Sendable, Equatable {
    public var x: Double
    public var y: Double
    public var threshold: Double

    public init(x: Double, y: Double, threshold: Double) {
        self.x = x
        self.y = y
        self.threshold = threshold
    }

    enum CodingKeys: String, CodingKey { case x, y, threshold }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        x = try container.decode(Double.self, forKey: .x)
        y = try container.decode(Double.self, forKey: .y)
        threshold = try container.decodeIfPresent(Double.self, forKey: .threshold) ?? .infinity
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(x, forKey: .x)
        try container.encode(y, forKey: .y)
        if threshold.isFinite {
            try container.encode(threshold, forKey: .threshold)
        } else {
            try container.encodeNil(forKey: .threshold)
        }
    }
}
