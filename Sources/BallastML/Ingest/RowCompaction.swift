/// Drops rows from a parsed block in place (`missing: drop_rows`): the rows not listed in `drop`
/// (ascending row numbers) move to the front in their order, each row's features and class
/// together, and `moveID(from, to)` moves its id when the block has ids. Returns how many rows are
/// kept; the caller trims what lies past them. Shared by the whole-file parse and the streaming one.
func compactRows(_ rows: Int, dropping drop: [Int], width: Int, matrix: inout [Float], classes: inout [Int32],
                 moveID: (_ from: Int, _ to: Int) -> Void) -> Int {
    var kept = 0, k = 0
    matrix.withUnsafeMutableBufferPointer { m in
        for r in 0..<rows {
            if k < drop.count && drop[k] == r { k += 1; continue }
            if kept != r {
                (m.baseAddress! + kept * width).update(from: m.baseAddress! + r * width, count: width)
                classes[kept] = classes[r]
                moveID(r, kept)
            }
            kept += 1
        }
    }
    return kept
}
