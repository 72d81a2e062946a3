#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Closing the gaps bad lines leave. Rows are counted before parsing, so a chunk that skipped
/// records leaves unused rows at its end; this moves every chunk's rows down to follow the
/// previous chunk's, fixes `firstRows` and the rows recorded for dropping, and trims the arrays.
extension Reader {
    /// Returns the number of rows kept.
    func compactSkipped(outputs: [ChunkOutput], firstRows: inout [Int], width: Int,
                        matrix: inout [Float], classes: inout [Int32]) -> Int {
        let chunks = outputs.count
        guard outputs.contains(where: { $0.skipped > 0 }) else { return firstRows[chunks] }
        var kept = [Int](repeating: 0, count: chunks + 1)
        for i in 0..<chunks { kept[i + 1] = kept[i] + outputs[i].rows }
        matrix.withUnsafeMutableBufferPointer { m in
            classes.withUnsafeMutableBufferPointer { c in
                for i in 0..<chunks where kept[i] != firstRows[i] && outputs[i].rows > 0 {
                    let n = outputs[i].rows
                    if width > 0 {
                        memmove(m.baseAddress! + kept[i] * width, m.baseAddress! + firstRows[i] * width,
                                n * width * MemoryLayout<Float>.stride)
                    }
                    memmove(c.baseAddress! + kept[i], c.baseAddress! + firstRows[i], n * MemoryLayout<Int32>.stride)
                    let shift = firstRows[i] - kept[i]
                    outputs[i].rowsWithMissing = outputs[i].rowsWithMissing.map { $0 - shift }
                }
            }
        }
        let total = kept[chunks]
        matrix.removeLast(matrix.count - total * width)
        classes.removeLast(classes.count - total)
        firstRows = kept
        return total
    }
}
