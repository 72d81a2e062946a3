/// Summary of one feature column.
public struct FeatureStatistics: Sendable, Equatable {
    public var name: String
    public var mean: Double
    /// Population standard deviation (ddof 0, like numpy's default).
    public var std: Double
    public var min: Double
    public var max: Double
    public var missing: Int

    public init(name: String, mean: Double, std: Double, min: Double, max: Double, missing: Int) {
        self.name = name
        self.mean = mean
        self.std = std
        self.min = min
        self.max = max
        self.missing = missing
    }
}

extension Dataset {
    /// Per-feature mean, standard deviation, minimum and maximum, computed in Double.
    ///
    /// `std` is the population standard deviation (divides by n, ddof 0, like numpy's default), from a
    /// two-pass computation (mean first, then squared deviations). `missing` is copied from the argument
    /// (e.g. `LoadedTable.missingPerFeature`), 0 when not given. With no rows every value is NaN.
    public func featureStatistics(missing: [Int]? = nil) -> [FeatureStatistics] {
        let width = featureCount
        let rows = rowCount
        var sums = [Double](repeating: 0, count: width)
        var lows = [Double](repeating: .infinity, count: width)
        var highs = [Double](repeating: -.infinity, count: width)
        var squares = [Double](repeating: 0, count: width)
        // Row by row (`withRows`): a row-index view is read in place, never gathered.
        features.withRows(width: width) { m in
            for r in 0..<rows {
                let row = m[r]
                for c in 0..<width {
                    let v = Double(row[c])
                    sums[c] += v
                    if v < lows[c] { lows[c] = v }
                    if v > highs[c] { highs[c] = v }
                }
            }
            let n = Double(rows)
            let means = sums.map { $0 / n }
            for r in 0..<rows {
                let row = m[r]
                for c in 0..<width {
                    let d = Double(row[c]) - means[c]
                    squares[c] += d * d
                }
            }
        }
        return (0..<width).map { c in
            if rows == 0 {
                return FeatureStatistics(name: featureNames[c], mean: .nan, std: .nan, min: .nan, max: .nan,
                                         missing: missing?[c] ?? 0)
            }
            let n = Double(rows)
            return FeatureStatistics(name: featureNames[c], mean: sums[c] / n, std: (squares[c] / n).squareRoot(),
                                     min: lows[c], max: highs[c], missing: missing.map { c < $0.count ? $0[c] : 0 } ?? 0)
        }
    }
}
