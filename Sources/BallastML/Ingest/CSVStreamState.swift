#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What `CSVStream` carries from window to window: the labels seen (interned as bytes, so the
/// encoding can still change at the end, as `CSVLoader` lets it), class counts, ids, missing
/// cells, skipped lines, and the line the next window starts at.
struct StreamState {
    let layout: Layout
    let header: [[UInt8]]?
    let path: String
    let options: CSVOptions
    var warnings: [String]
    /// The line the next window starts at.
    var line: Int
    /// Every label seen, in first-seen order: the rows are handed on with these provisional ids.
    private var labels = ByteInterner()
    /// Rows handed on per provisional id.
    private var classCounts: [Int] = []
    private var ids: [[UInt8]] = []
    private var missing: [Int]
    /// Whether a feature column has held a number so far.
    private var sawNumber: [Bool]
    /// Rows parsed and not skipped as bad lines, before rows with missing cells are dropped.
    private var rowsParsed = 0
    private var rowsWritten = 0
    private var skipped = 0
    private var firstSkipped: [Int] = []

    init(prepared: Reader.Prepared, path: String, options: CSVOptions) {
        layout = prepared.layout
        header = prepared.header
        warnings = prepared.warnings
        line = prepared.dataLine
        self.path = path
        self.options = options
        missing = [Int](repeating: 0, count: prepared.layout.width)
        sawNumber = [Bool](repeating: false, count: prepared.layout.width)
    }

    /// A reader for the checks `CSVLoader` runs on the labels, which use its path and options only.
    private var checks: Reader {
        Reader(base: UnsafePointer(bitPattern: 1)!, count: 0, path: path, options: options)
    }

    /// Takes a parsed window: checks its columns are numbers, turns its chunk-local label ids
    /// into provisional ones, drops rows with missing cells when asked, and hands the rows on.
    mutating func take(_ parsed: Reader.ParsedChunks, append: CSVStream.Append) throws {
        line = parsed.endLine
        guard parsed.rows > 0 else { return }
        var matrix = parsed.matrix, classes = parsed.classes, firstRows = parsed.firstRows
        let outputs = parsed.outputs
        let width = layout.width
        let kept = checks.compactSkipped(outputs: outputs, firstRows: &firstRows, width: width,
                                         matrix: &matrix, classes: &classes)
        for out in outputs {
            skipped += out.skipped
            firstSkipped += out.firstSkipped.prefix(max(0, LoadedTable.skippedLinesShown - firstSkipped.count))
        }
        guard kept > 0 else { return }
        try checkNumeric(outputs, rows: kept)

        classes.withUnsafeMutableBufferPointer { c in
            for (i, out) in outputs.enumerated() where firstRows[i] < firstRows[i + 1] {
                let map = (0..<out.labels.count).map { labels.intern(Array(out.labels.bytes($0))) }
                for r in firstRows[i]..<firstRows[i + 1] { c[r] = map[Int(c[r])] }
            }
        }
        if options.labelsMustBeClasses && labels.count > options.maxClasses {
            // Refused now rather than after reading the rest (an id column taken as the label).
            try checks.checkLabelsAreClasses(Set(labels.strings(layout.decoding)), rows: rowsParsed + kept, layout: layout,
                                             name: layout.names[layout.labelColumn])
        }
        if layout.idColumn != nil { for out in outputs { ids += out.ids } }
        for out in outputs { for s in 0..<width { missing[s] += out.missing[s] } }
        rowsParsed += kept

        var rows = kept
        if options.missing == .dropRows && outputs.contains(where: { !$0.rowsWithMissing.isEmpty }) {
            rows = dropRowsWithMissing(outputs, rows: kept, matrix: &matrix, classes: &classes)
        }
        if classCounts.count < labels.count { classCounts += repeatElement(0, count: labels.count - classCounts.count) }
        for r in 0..<rows { classCounts[Int(classes[r])] += 1 }
        guard rows > 0 else { return }
        try matrix.withUnsafeBufferPointer { m in
            try classes.withUnsafeBufferPointer { c in
                try append(UnsafeBufferPointer(rebasing: m[0..<(rows * width)]), UnsafeBufferPointer(rebasing: c[0..<rows]))
            }
        }
        rowsWritten += rows
    }

    /// A text cell among numbers is a data error at its line, as `CSVLoader` says it; a column of
    /// text (one-hot encoded in memory) needs every level before the first row: refused.
    private mutating func checkNumeric(_ outputs: [ChunkOutput], rows: Int) throws {
        var mixed: (line: Int, slot: Int, value: String)? = nil
        var textColumn: Int? = nil
        for s in 0..<layout.width {
            let text = outputs.reduce(0) { $0 + $1.textCells[s] }
            let absent = outputs.reduce(0) { $0 + $1.missing[s] }
            defer { if rows - text - absent > 0 { sawNumber[s] = true } }
            guard text > 0 else { continue }
            if text + absent == rows && !sawNumber[s] {
                if textColumn == nil { textColumn = s }
                continue
            }
            guard let first = outputs.lazy.compactMap({ $0.firstText[s] }).first else { continue }
            if mixed == nil || first.line < mixed!.line { mixed = (first.line, s, first.value) }
        }
        if let (line, slot, value) = mixed {
            let column = layout.sourceColumns[slot]
            let cell = layout.quoting.quote(value).map { "'\($0)'" } ?? "text"
            throw layout.error(.notNumeric,
                               "Line \(line), \(layout.describe(column)) holds \(cell) where the rest of the column is numbers.",
                               line: line, column: column)
        }
        if let slot = textColumn {
            let column = layout.sourceColumns[slot]
            let name = layout.quoting.quote(layout.names[column])
            throw CSVStream.NeedsMemory(
                message: "storage=disk needs numeric features; \(layout.describe(column)) holds text (one-hot encoding needs the levels of the whole file). Leave it out with ignore, keep it beside the data with id, or load the file in memory.",
                column: name)
        }
    }

    /// Removes the window's rows that have a missing cell (`missing: drop_rows`); returns the rows left.
    private mutating func dropRowsWithMissing(_ outputs: [ChunkOutput], rows: Int,
                                              matrix: inout [Float], classes: inout [Int32]) -> Int {
        let width = layout.width
        let drop = outputs.flatMap(\.rowsWithMissing)
        let idsBase = ids.count - (layout.idColumn == nil ? 0 : rows)
        let hasIDs = layout.idColumn != nil
        let kept = compactRows(rows, dropping: drop, width: width, matrix: &matrix, classes: &classes) { from, to in
            if hasIDs { ids[idsBase + to] = ids[idsBase + from] }
        }
        if layout.idColumn != nil { ids.removeLast(rows - kept) }
        return kept
    }

    /// Settles the encoding, checks and sorts the merged labels, and says how to remap the rows.
    func finish() throws -> StreamedTable {
        let checks = self.checks
        if rowsParsed == 0 {
            if skipped > 0 {
                throw DataError(kind: .headerOnly, message: "Every data row of \(path) is a bad line (a wrong number of fields), so none is left.",
                                path: path)
            }
            throw DataError(kind: .headerOnly, message: "\(path) has a header but no data rows.", path: path)
        }
        var warnings = self.warnings
        var decoding = layout.decoding
        var names = layout.names
        if decoding == .utf8 && !(labels.allValidUTF8 && ids.allSatisfy(TextDecoding.isValidUTF8)) {
            if options.encoding == .utf8 { throw checks.notUTF8() }
            decoding = .cp1252
            warnings.append(Reader.fallbackWarning(path))
            names = Reader.columnNames(header, columns: layout.columns, labelColumn: layout.labelColumn, decoding)
        }
        let labelStrings = labels.strings(decoding)
        if options.labelsMustBeClasses {
            try checks.checkLabelsAreClasses(Set(labelStrings), rows: rowsParsed, layout: layout, name: names[layout.labelColumn])
        }
        if rowsWritten == 0 {
            throw DataError(kind: .missingValue, message: "Every row of \(path) has a missing value, so dropping them leaves nothing.",
                            path: path)
        }
        // Sorted as in memory; classes with no row left (all dropped) are left out.
        let sorted = checks.sortLabels(Array(Set(labelStrings)))
        let sortedIndex = Dictionary(uniqueKeysWithValues: sorted.enumerated().map { ($1, $0) })
        var sortedCounts = [Int](repeating: 0, count: sorted.count)
        for (p, label) in labelStrings.enumerated() where p < classCounts.count { sortedCounts[sortedIndex[label]!] += classCounts[p] }
        var finalIndex = [Int32](repeating: 0, count: sorted.count)
        var classLabels: [String] = []
        var counts: [Int] = []
        for (i, label) in sorted.enumerated() where sortedCounts[i] > 0 {
            finalIndex[i] = Int32(classLabels.count)
            classLabels.append(label)
            counts.append(sortedCounts[i])
        }
        let remap = labelStrings.map { finalIndex[sortedIndex[$0]!] }
        let positiveClass = try layout.positiveClass(labels: classLabels, counts: counts, names: names, options: options, path: path)
        let schema = DatasetSchema(columns: layout.sourceColumns.map { .numeric(name: names[$0]) })
        return StreamedTable(schema: schema, classLabels: classLabels, positiveClass: positiveClass,
                             ids: layout.idColumn == nil ? nil : ids.map(decoding.decode),
                             classRemap: remap, rows: rowsWritten, missingPerFeature: missing,
                             droppedRows: rowsParsed - rowsWritten, skippedLines: skipped,
                             firstSkippedLines: firstSkipped, warnings: warnings)
    }
}
