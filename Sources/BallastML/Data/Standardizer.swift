/// Per-feature centring and scaling, as scikit-learn's `StandardScaler` (population standard
/// deviation, ddof = 0).
///
/// Fit on the training part only and apply the same `mean`/`scale` to validation and test rows.
/// A constant feature (variance within floating-point error of zero, scikit-learn's test) gets
/// `scale` 1, so it becomes 0 rather than NaN.
public struct Standardizer: Sendable, Equatable {
    public var mean: [Double]
    public var scale: [Double]

    public init(mean: [Double], scale: [Double]) {
        self.mean = mean
        self.scale = scale
    }

    /// Means and standard deviations of every feature, accumulated in `Double` (two passes:
    /// mean, then squared deviations). An empty dataset gives mean 0, scale 1.
    public static func fit(_ data: Dataset) -> Standardizer {
        let width = data.featureCount
        let rows = data.rowCount
        var mean = [Double](repeating: 0, count: width)
        var squares = [Double](repeating: 0, count: width)
        guard rows > 0, width > 0 else {
            return Standardizer(mean: mean, scale: [Double](repeating: 1, count: width))
        }
        // Row by row (`withRows`): a row-index view is read in place, never gathered.
        data.features.withRows(width: width) { values in
            mean.withUnsafeMutableBufferPointer { mean in
                for row in 0..<rows {
                    let start = values[row]
                    for j in 0..<width { mean[j] += Double(start[j]) }
                }
                for j in 0..<width { mean[j] /= Double(rows) }
                squares.withUnsafeMutableBufferPointer { squares in
                    for row in 0..<rows {
                        let start = values[row]
                        for j in 0..<width {
                            let d = Double(start[j]) - mean[j]
                            squares[j] += d * d
                        }
                    }
                }
            }
        }
        let n = Double(rows)
        let eps = Double.ulpOfOne
        let scale = (0..<width).map { j -> Double in
            let variance = squares[j] / n
            // scikit-learn's _is_constant_feature: variance below its own rounding-error bound.
            let bound = n * eps * variance + (n * mean[j] * eps) * (n * mean[j] * eps)
            return variance <= bound ? 1 : variance.squareRoot()
        }
        return Standardizer(mean: mean, scale: scale)
    }

    /// `(x − mean) / scale` per feature, computed in `Double`, stored as `Float`.
    public func apply(_ data: Dataset) throws(InvalidArgument) -> Dataset {
        let width = data.featureCount
        guard width == mean.count, width == scale.count else {
            throw InvalidArgument(field: .dataset,
                                  message: "The standardizer was fitted on \(mean.count) features but the data has \(width).")
        }
        var result = data
        result.features.withUnsafeMutableBufferPointer { values in
            for row in 0..<data.rowCount {
                let start = row * width
                for j in 0..<width {
                    values[start + j] = Float((Double(values[start + j]) - mean[j]) / scale[j])
                }
            }
        }
        return result
    }
}
