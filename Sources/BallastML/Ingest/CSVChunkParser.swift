import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Parsing one chunk of records straight into its rows of the float32 matrix.

struct TextSighting { var line: Int; var value: String }

final class ChunkOutput: @unchecked Sendable {
    var error: DataError?
    var missing: [Int] = []
    var textCells: [Int] = []
    var firstText: [TextSighting?] = []
    var text: [ByteInterner?] = []
    var labels = ByteInterner()
    var rowsWithMissing: [Int] = []
    /// Rows written, from the chunk's first row (its records less the bad lines skipped).
    var rows = 0
    var skipped = 0
    var firstSkipped: [Int] = []
    /// The id column's bytes for each row written, in order (when the file has an id column);
    /// decoded once the file's encoding is settled.
    var ids: [[UInt8]] = []
}

struct Layout {
    let delimiter: UInt8
    let trimTab: Bool
    let columns: Int
    let labelColumn: Int
    /// The id column, kept as text beside the data.
    let idColumn: Int?
    /// Source column → feature slot, -1 for the label, the id and ignored columns.
    let slots: [Int]
    /// Feature slot → source column.
    let sourceColumns: [Int]
    var width: Int { sourceColumns.count }
    let missingIsError: Bool
    let dropping: Bool
    let names: [String]
    let headerPresent: Bool
    let path: String
    /// Numbers are written `1,5`: the fast path never takes them (it stops at the `,`).
    let decimalComma: Bool
    /// Records with the wrong field count are skipped rather than refused.
    let skipBadLines: Bool
    let decoding: TextDecoding
    /// What messages may quote of the file (`CSVQuoting`).
    let quoting: CSVQuoting

    /// "column 3 ('amount')", or "column 3" for a file not recognised as data.
    func describe(_ column: Int) -> String { quoting.describe(column, names: names) }

    /// `data.field` is the column's name only where the name may be quoted.
    func error(_ kind: DataError.Kind, _ message: String, line: Int?, column: Int?) -> DataError {
        DataError(kind: kind, message: message, path: path, line: line, column: column.map { $0 + 1 },
                  field: quoting.recognised ? column.map { names[$0] } : nil)
    }

    /// "holds 1e999, which" or "holds a value that", for a cell's text.
    func holds(_ cell: String) -> String {
        quoting.quote(cell).map { "holds \($0), which" } ?? "holds a value that"
    }

    func ragged(line: Int, fields: Int) -> DataError {
        let reference = headerPresent ? "the header has" : "the first row has"
        return DataError(kind: .raggedRow,
                         message: "Line \(line) has \(fields) field\(fields == 1 ? "" : "s") but \(reference) \(columns).",
                         path: path, line: line)
    }

    func unclosedQuote(line: Int, column: Int) -> DataError {
        error(.raggedRow, "Line \(line), \(describe(column)) opens a quoted field that is never closed.",
              line: line, column: column)
    }

    /// Parses records in [start, end) into rows starting at `firstRow`. The chunk must end with `\n`.
    func parse(start: UnsafePointer<UInt8>, end: UnsafePointer<UInt8>, firstRow: Int, firstLine: Int,
               matrix: UnsafeMutablePointer<Float>, classes: UnsafeMutablePointer<Int32>, into out: ChunkOutput) {
        let delimiter = self.delimiter, trimTab = self.trimTab, columns = self.columns
        let labelColumn = self.labelColumn, width = self.width, slots = self.slots, idColumn = self.idColumn ?? -1
        var missing = [Int](repeating: 0, count: width)
        var textCells = [Int](repeating: 0, count: width)
        var firstText = [TextSighting?](repeating: nil, count: width)
        var text = [ByteInterner?](repeating: nil, count: width)
        var labels = ByteInterner()
        var rowsWithMissing: [Int] = []
        var skipped = 0
        var firstSkipped: [Int] = []
        var ids: [[UInt8]] = []
        let decimalComma = self.decimalComma, skipBadLines = self.skipBadLines
        var scratch: [UInt8] = []
        scratch.reserveCapacity(256)
        var lastLabel: [UInt8] = []
        var lastLabelID: Int32 = -1
        var p = start
        var line = firstLine
        var row = firstRow

        func finish(_ error: DataError?) {
            out.error = error
            out.missing = missing
            out.textCells = textCells
            out.firstText = firstText
            out.text = text
            out.labels = labels
            out.rowsWithMissing = rowsWithMissing
            out.rows = row - firstRow
            out.skipped = skipped
            out.firstSkipped = firstSkipped
            out.ids = ids
        }

        while p < end {
            var b = p
            while CSVLexer.isBlankByte(b[0], trimTab) { b += 1 }
            if b[0] == CSVLexer.newline { p = b + 1; line += 1; continue }
            let recordLine = line
            if skipBadLines, let record = CSVLexer.fieldCount(p, end, delimiter), record.fields != columns {
                skipped += 1
                if firstSkipped.count < LoadedTable.skippedLinesShown { firstSkipped.append(recordLine) }
                line += record.inner + 1
                p = record.stop + 1
                continue
            }
            let rowOut = matrix + row * width
            var rowHasMissing = false
            var f = p
            var column = 0
            while true {
                var term: UnsafePointer<UInt8>
                if column == labelColumn {
                    let fieldLine = line
                    guard let t = CSVLexer.lexField(f, end, delimiter, trimTab, &scratch, &line) else {
                        return finish(unclosedQuote(line: fieldLine, column: column))
                    }
                    term = t
                    if scratch != lastLabel || lastLabelID < 0 {
                        if CSVLexer.classify(scratch) == .missing {
                            return finish(error(.missingValue,
                                                "Line \(fieldLine), \(describe(column)) has no label; every row needs one.",
                                                line: fieldLine, column: column))
                        }
                        lastLabelID = labels.intern(scratch)
                        lastLabel = scratch
                    }
                    classes[row] = lastLabelID
                } else if slots[column] < 0 {
                    // The id column, kept as text, or an ignored column, passed over.
                    let fieldLine = line
                    guard let t = CSVLexer.lexField(f, end, delimiter, trimTab, &scratch, &line) else {
                        return finish(unclosedQuote(line: fieldLine, column: column))
                    }
                    term = t
                    if column == idColumn { ids.append(scratch) }
                } else {
                    let slot = slots[column]
                    var q = f
                    while q[0] == CSVLexer.space || (q[0] == CSVLexer.tab && trimTab) { q += 1 }
                    let c = q[0]
                    var done = false
                    term = q
                    if c &- 48 <= 9 || c == UInt8(ascii: "-") || c == UInt8(ascii: ".") || c == UInt8(ascii: "+") {
                        var value: Float = 0
                        let (e, status) = FloatParser.scan(q, &value)
                        var t = e
                        while t[0] == CSVLexer.space || (t[0] == CSVLexer.tab && trimTab) { t += 1 }
                        if t[0] == CSVLexer.cr && t[1] == CSVLexer.newline { t += 1 }
                        if status != .invalid && (t[0] == delimiter || t[0] == CSVLexer.newline) {
                            if status == .overflow {
                                let shown = String(decoding: UnsafeBufferPointer(start: q, count: e - q), as: UTF8.self)
                                return finish(error(.nonFinite,
                                                    "Line \(line), \(describe(column)) \(holds(shown)) does not fit in a float32.",
                                                    line: line, column: column))
                            }
                            rowOut[slot] = value
                            term = t
                            done = true
                        }
                    }
                    if !done {
                        let fieldLine = line
                        guard let t = CSVLexer.lexField(f, end, delimiter, trimTab, &scratch, &line) else {
                            return finish(unclosedQuote(line: fieldLine, column: column))
                        }
                        term = t
                        switch CSVLexer.classify(scratch, decimalComma: decimalComma) {
                        case .number(let v):
                            rowOut[slot] = v
                        case .missing:
                            missing[slot] += 1
                            rowOut[slot] = .nan
                            rowHasMissing = true
                            if missingIsError {
                                return finish(error(.missingValue,
                                                    "Line \(fieldLine), \(describe(column)) is missing a value; set missing to drop_rows or impute_mean to accept missing cells.",
                                                    line: fieldLine, column: column))
                            }
                        case .nonFinite:
                            let shown = String(decoding: scratch, as: UTF8.self)
                            return finish(error(.nonFinite,
                                                "Line \(fieldLine), \(describe(column)) \(holds(shown)) is not a finite number.",
                                                line: fieldLine, column: column))
                        case .text:
                            textCells[slot] += 1
                            if firstText[slot] == nil {
                                firstText[slot] = TextSighting(line: fieldLine, value: decoding.decode(scratch))
                            }
                            if text[slot] == nil { text[slot] = ByteInterner() }
                            rowOut[slot] = Float(text[slot]!.intern(scratch))
                        }
                    }
                }
                if term >= end || term[0] == CSVLexer.newline {
                    if column + 1 != columns { return finish(ragged(line: recordLine, fields: column + 1)) }
                    p = term + 1
                    line += 1
                    break
                }
                if column + 1 == columns {
                    // Too many fields: count the rest of the record for the message.
                    var fields = columns
                    var g = term + 1
                    while true {
                        fields += 1
                        guard let t = CSVLexer.lexField(g, end, delimiter, trimTab, &scratch, &line),
                              t < end, t[0] != CSVLexer.newline else { break }
                        g = t + 1
                    }
                    return finish(ragged(line: recordLine, fields: fields))
                }
                f = term + 1
                column += 1
            }
            if rowHasMissing && dropping { rowsWithMissing.append(row) }
            row += 1
        }
        finish(nil)
    }
}
