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

    /// `(x − mean) / scale` per feature, computed in `Double`, stored as `Float`. The result's
    /// features are new values in memory (of a disk dataset or a view too: the caller checks the
    /// budget, or writes them to disk a chunk at a time with `standardize(_:rows:into:)`).
    public func apply(_ data: Dataset) throws(InvalidArgument) -> Dataset {
        let width = data.featureCount
        guard width == mean.count, width == scale.count else {
            throw InvalidArgument(field: .dataset,
                                  message: "The standardizer was fitted on \(mean.count) features but the data has \(width).")
        }
        var scaled = [Float](repeating: 0, count: data.rowCount * width)
        if width > 0 && data.rowCount > 0 {
            data.features.withRows(width: width) { rows in
                scaled.withUnsafeMutableBufferPointer { target in
                    standardize(rows, rows: 0..<data.rowCount, into: target.baseAddress!)
                }
            }
        }
        var result = data
        result.features = FeatureMatrix(scaled)
        return result
    }

    /// `apply`'s values for `rows` of `source` (read through `FeatureMatrix.withRows`, so a view
    /// is read in place), written row-major from `target`: `rows.count × width` values.
    public func standardize(_ source: FeatureRows, rows: Range<Int>, into target: UnsafeMutablePointer<Float>) {
        let width = source.width
        precondition(width == mean.count && width == scale.count, "the rows have the fitted number of features")
        mean.withUnsafeBufferPointer { mean in
            scale.withUnsafeBufferPointer { scale in
                var out = target
                for row in rows {
                    let values = source[row]
                    for j in 0..<width { out[j] = Float((Double(values[j]) - mean[j]) / scale[j]) }
                    out += width
                }
            }
        }
    }
}
