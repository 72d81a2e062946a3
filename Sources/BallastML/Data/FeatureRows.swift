/// Row pointers into a `FeatureMatrix`, valid only inside `FeatureMatrix.withRows(width:_:)`:
/// `rows[k]` is the first of row `k`'s `width` values, wherever the row lives (an owned array, a
/// mapped file, or a view's base through its row map).
public struct FeatureRows {
    let base: UnsafePointer<Float>
    public let width: Int
    /// How many rows.
    public let count: Int
    let narrow: UnsafePointer<UInt32>?
    let wide: UnsafePointer<Int>?

    /// The first value of row `k`.
    @inline(__always)
    public subscript(k: Int) -> UnsafePointer<Float> {
        if let narrow { return base + Int(narrow[k]) * width }
        if let wide { return base + wide[k] * width }
        return base + k * width
    }

    /// Row `k`'s values as a buffer.
    @inline(__always)
    public func row(_ k: Int) -> UnsafeBufferPointer<Float> { UnsafeBufferPointer(start: self[k], count: width) }
}
