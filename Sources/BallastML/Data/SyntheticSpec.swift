/// What `SyntheticData.generate(_:)` should make: a labelled table with a known class balance.
///
/// The model (see `SyntheticData` for the full recipe): every class has a Gaussian cluster in the
/// `informative` features, centred `separation` apart; the other features are pure noise;
/// `labelNoise` swaps that fraction of each rare class's labels with majority rows.
public struct SyntheticSpec: Sendable, Equatable {
    /// Number of rows, at least 2.
    public var rows: Int
    /// Number of feature columns, at least 1.
    public var features: Int
    /// How many of the features carry class information, `0...features`.
    public var informative: Int
    /// One share per class, each positive, summing to 1 (±1e-9). Binary data: `[1 - p, p]`.
    /// Class counts are exact: `rows × share` rounded by largest remainder.
    public var classProportions: [Double]
    /// Distance between the two closest class centres, in within-class standard deviations (≥ 0).
    public var separation: Double
    /// Fraction of every non-majority class whose labels are flipped with as many majority rows
    /// (count-preserving label noise, see `SyntheticData`), `0 ..< 0.5`.
    public var labelNoise: Double
    /// Everything random follows from this seed, bit for bit (see `SeededGenerator`).
    public var seed: UInt64
    /// Column names; `nil` gives `x1 … xN`. When set, one unique non-empty name per feature.
    public var featureNames: [String]?

    public init(rows: Int, features: Int, informative: Int, classProportions: [Double],
                separation: Double, labelNoise: Double = 0, seed: UInt64 = 0,
                featureNames: [String]? = nil) {
        self.rows = rows
        self.features = features
        self.informative = informative
        self.classProportions = classProportions
        self.separation = separation
        self.labelNoise = labelNoise
        self.seed = seed
        self.featureNames = featureNames
    }

    /// Shaped like the public credit-card fraud data (Kaggle / ULB, Dal Pozzolo et al. 2015):
    /// 284,807 rows, 30 features named `Time`, `V1` … `V28`, `Amount`, exactly 492 frauds (0.172 %),
    /// labels `"0"`/`"1"` with `"1"` positive.
    ///
    /// Tuned so that a plain (unweighted) logistic regression on standardized features, trained on a
    /// stratified 70 % split, finds roughly 60 % of the frauds at about 85 % precision, and a
    /// `class_weight='balanced'` one finds about 90 % at a precision of a few percent — the
    /// behaviour of the real data. The values themselves are Gaussian, not the real ones.
    public static func fraud(seed: UInt64 = 0) -> SyntheticSpec {
        SyntheticSpec(rows: 284_807, features: 30, informative: 10,
                      classProportions: [284_315.0 / 284_807.0, 492.0 / 284_807.0],
                      separation: fraudSeparation, labelNoise: fraudLabelNoise, seed: seed,
                      featureNames: ["Time"] + (1...28).map { "V\($0)" } + ["Amount"])
    }

    static let fraudSeparation = 4.2
    static let fraudLabelNoise = 0.05
}

/// The generator's named shapes of data.
public enum SyntheticPreset: Sendable, Hashable, CaseIterable {
    /// See `SyntheticSpec.fraud(seed:)`.
    case fraud
    /// 20,000 × 20 (8 informative), 10 % positives, separation 2.
    case mildImbalance
    /// 10,000 × 10 (5 informative), 50/50, separation 2.
    case balanced
    /// 30,000 × 20 (8 informative), three classes 70/20/10 %, separation 2.5.
    case multiclass

    public func spec(seed: UInt64) -> SyntheticSpec {
        switch self {
        case .fraud:
            SyntheticSpec.fraud(seed: seed)
        case .mildImbalance:
            SyntheticSpec(rows: 20_000, features: 20, informative: 8, classProportions: [0.9, 0.1], separation: 2, seed: seed)
        case .balanced:
            SyntheticSpec(rows: 10_000, features: 10, informative: 5, classProportions: [0.5, 0.5], separation: 2, seed: seed)
        case .multiclass:
            SyntheticSpec(rows: 30_000, features: 20, informative: 8, classProportions: [0.7, 0.2, 0.1], separation: 2.5, seed: seed)
        }
    }
}
