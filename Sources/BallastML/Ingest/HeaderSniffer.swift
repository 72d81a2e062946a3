/// Deciding whether a file's first record is a header, by type consistency as CSV sniffers do:
/// a header disagrees with the column types of the records below it.
///
/// Per column, comparing the first record's cell with the sampled cells below:
/// - text above numbers is evidence of a header (strong);
/// - a number above numbers is evidence of data (strong);
/// - text above text columns only counts when nothing is numeric: then a first value that never
///   recurs below, in a column whose values do recur, suggests a header (`color` above
///   `red, blue, red`).
/// Strong evidence for a header wins, then strong evidence for data, then the weak kind. With no
/// record below, the first record is a header when any field other than the label's is text.
struct HeaderSniffer {
    let decimalComma: Bool

    enum ColumnType { case numeric, text, empty }

    func kind(_ cell: [UInt8]) -> CellKind { CSVLexer.classify(cell, decimalComma: decimalComma) }

    func isHeader(_ records: [[[UInt8]]], labelGuess: Int) -> Bool {
        let first = records[0]
        let below = records.dropFirst()
        if below.isEmpty {
            return first.enumerated().contains { i, field in i != labelGuess && kind(field) == .text }
        }
        var headerStrong = false, dataStrong = false, headerWeak = false
        var allText = true, anyRepeat = false
        for (i, cell) in first.enumerated() {
            let column = below.compactMap { i < $0.count ? $0[i] : nil }
            let above = kind(cell)
            let type = columnType(column)
            if type != .text { allText = false }
            if Set(column).count < column.count { anyRepeat = true }
            switch type {
            case .numeric:
                if above == .text { headerStrong = true }
                if case .number = above { dataStrong = true }
            case .text:
                if above == .text && !column.contains(cell) && Set(column).count < column.count { headerWeak = true }
            case .empty:
                break
            }
        }
        if headerStrong { return true }
        if dataStrong { return false }
        if allText && !anyRepeat {
            // Nothing to compare types or values with (a tiny all-text file): a first record of
            // text outside the label is taken as a header, as with a single record.
            return first.enumerated().contains { i, field in i != labelGuess && kind(field) == .text }
        }
        return headerWeak
    }

    /// Numeric when every present cell is a number (non-finite spellings included), text when any is text.
    func columnType(_ column: [[UInt8]]) -> ColumnType {
        var numbers = 0
        for cell in column {
            switch kind(cell) {
            case .text: return .text
            case .number, .nonFinite: numbers += 1
            case .missing: break
            }
        }
        return numbers > 0 ? .numeric : .empty
    }
}
