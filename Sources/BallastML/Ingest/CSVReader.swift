import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The whole load: binary check, header and delimiter detection, chunking, and the parallel parse.

struct Reader {
    let base: UnsafePointer<UInt8>
    let count: Int
    let path: String
    let options: CSVOptions

    func fail(_ kind: DataError.Kind, _ message: String, line: Int? = nil) -> DataError {
        DataError(kind: kind, message: message, path: path, line: line)
    }

    /// Refuses a binary file (`BinaryContent`, on the first 64 KiB) and says whether the start
    /// (the first 8 KiB) is valid UTF-8.
    func checkBinary(from start: Int) throws(DataError) -> Bool {
        let binarySample = UnsafeRawBufferPointer(start: base + start, count: min(count - start, BinaryContent.sampleBytes))
        if let reason = BinaryContent.reason(binarySample) {
            throw fail(.binary, BinaryContent.message(path: path, reason: reason))
        }
        let sampleEnd = min(count, start + 8192)
        let sample = UnsafeBufferPointer(start: base + start, count: sampleEnd - start)
        var end = sample.count
        if sampleEnd < count {
            // The sample may cut a multi-byte character: drop an incomplete trailing sequence.
            var i = end - 1
            var back = 0
            while i > 0 && back < 3 && sample[i] & 0xC0 == 0x80 { i -= 1; back += 1 }
            end = i
        }
        return TextDecoding.isValidUTF8(UnsafeBufferPointer(rebasing: sample[0..<end]))
    }

    /// The encoding the start of the file suggests, and a warning when auto fell back.
    func chooseDecoding(validStart: Bool) throws(DataError) -> (TextDecoding, [String]) {
        switch options.encoding {
        case .latin1: return (.latin1, [])
        case .cp1252: return (.cp1252, [])
        case .utf8:
            if !validStart { throw notUTF8() }
            return (.utf8, [])
        case .auto:
            return validStart ? (.utf8, []) : (.cp1252, [Self.fallbackWarning(path)])
        }
    }

    func notUTF8() -> DataError {
        fail(.invalidEncoding, "\(path) is not valid UTF-8 text; it may be cp1252 or Latin-1.")
    }

    static func fallbackWarning(_ path: String) -> String {
        "\(path) is not valid UTF-8; its text was read as cp1252 (Windows Western European)."
    }

    func run() throws(DataError) -> LoadedTable {
        let prepared = try prepare()
        return try load(layout: prepared.layout, header: prepared.header, dataStart: prepared.dataStart,
                        dataLine: prepared.dataLine, warnings: prepared.warnings)
    }

    /// What the start of a file settles for the whole of it: the layout (delimiter, columns, label,
    /// roles, decimal mark, encoding so far), the header's bytes, and where the data begins.
    struct Prepared {
        let layout: Layout
        let header: [[UInt8]]?
        /// Offset of the first data record (past a byte-order mark, blank lines and the header).
        let dataStart: Int
        /// Its 1-based line.
        let dataLine: Int
        let warnings: [String]
    }

    /// Reads the start of the text: binary check, encoding, delimiter, header, label and roles.
    func prepare() throws(DataError) -> Prepared {
        var start = 0
        if count >= 3 && base[0] == 0xEF && base[1] == 0xBB && base[2] == 0xBF { start = 3 }
        let validStart = start < count ? try checkBinary(from: start) : true
        var (decoding, warnings) = try chooseDecoding(validStart: validStart)
        let maxLine = options.maxLineBytes

        // Skip leading blank lines.
        var line = 1
        var p = start
        while p < count {
            var q = p
            while q < count && CSVLexer.isBlankByte(base[q], true) { q += 1 }
            if q < count && base[q] == CSVLexer.newline { p = q + 1; line += 1; continue }
            if q >= count { p = count }
            break
        }
        if p >= count { throw fail(.empty, "\(path) is empty.") }

        // Sample the first records for delimiter and header detection.
        struct Record { var start: Int; var end: Int; var line: Int; var inner: Int }
        var sample: [Record] = []
        var q = p
        var sampleLine = line
        while q < count && sample.count < 50 && (sample.count < 2 || q - p < 1 << 18) {
            var s = q
            while s < count && CSVLexer.isBlankByte(base[s], true) { s += 1 }
            if s < count && base[s] == CSVLexer.newline { q = s + 1; sampleLine += 1; continue }
            if s >= count { break }
            let (e, inner) = CSVLexer.recordEnd(base, q, count)
            if e - q > maxLine {
                throw fail(.lineTooLong, "Line \(sampleLine) is longer than the limit of \(maxLine) bytes.",
                           line: sampleLine)
            }
            sample.append(Record(start: q, end: e, line: sampleLine, inner: inner))
            sampleLine += inner + 1
            q = e + 1
        }
        let delimiter = options.delimiter ?? detectDelimiter(sample.map { ($0.start, $0.end) })
        let trimTab = delimiter != CSVLexer.tab
        let sampleFields = sample.map { CSVLexer.fields(base, $0.start, $0.end, delimiter, trimTab) }
        let decimalComma: Bool
        switch options.decimal {
        case .point: decimalComma = false
        case .comma: decimalComma = true
        case .auto: decimalComma = delimiter == UInt8(ascii: ";") && Self.writesDecimalCommas(sampleFields)
        }
        if decimalComma && delimiter == UInt8(ascii: ",") {
            throw fail(.invalidOption, "A decimal comma cannot be read in a file whose delimiter is a comma.")
        }
        // From here on, messages quote the file's text only if this says it is data.
        let quoting = CSVQuoting(sample: sampleFields, decimalComma: decimalComma)

        let first = sample[0]
        let firstBytes = sampleFields[0]
        var firstFields = firstBytes.map { decoding.decode($0) }
        let columns = firstFields.count

        // Label column and header.
        var headerPresent: Bool
        switch options.header {
        case .present: headerPresent = true
        case .absent: headerPresent = false
        case .auto:
            if case .name = options.label {
                headerPresent = true
            } else {
                let guess: Int
                if case .index(let i) = options.label { guess = i } else { guess = columns - 1 }
                headerPresent = HeaderSniffer(decimalComma: decimalComma)
                    .isHeader(sampleFields, labelGuess: guess)
            }
        }
        let labelColumn: Int
        switch options.label {
        case .last:
            labelColumn = columns - 1
        case .index(let i):
            guard i < columns else {
                throw fail(.labelColumnMissing,
                           "The label column index \(i) is out of range: \(path) has \(columns) column\(columns == 1 ? "" : "s") (indices 0 to \(columns - 1)).")
            }
            labelColumn = i
        case .name(let name):
            guard headerPresent else {
                throw fail(.labelColumnMissing, "The label column '\(name)' cannot be found because \(path) has no header.")
            }
            guard let i = firstFields.firstIndex(of: name) else {
                var error = fail(.labelColumnMissing, "There is no column named '\(name)'; \(quoting.header(firstFields)).",
                                 line: first.line)
                error.field = name
                throw error
            }
            labelColumn = i
        }

        // A header that is not UTF-8 in a file whose start is (past the sample) decides it here.
        if headerPresent && decoding == .utf8 && !firstBytes.allSatisfy({ TextDecoding.isValidUTF8($0) }) {
            if options.encoding == .utf8 { throw notUTF8() }
            decoding = .cp1252
            warnings.append(Self.fallbackWarning(path))
            firstFields = firstBytes.map { decoding.decode($0) }
        }
        let header = headerPresent ? firstBytes : nil
        let (idColumn, slots) = try roles(columns: columns, labelColumn: labelColumn, names: headerPresent ? firstFields : nil,
                                          quoting: quoting)
        let layout = Layout(delimiter: delimiter, trimTab: trimTab, columns: columns, labelColumn: labelColumn,
                            idColumn: idColumn, slots: slots, sourceColumns: slots.indices.filter { slots[$0] >= 0 },
                            missingIsError: options.missing == .error,
                            dropping: options.missing == .dropRows,
                            names: Self.columnNames(header, columns: columns, labelColumn: labelColumn, decoding),
                            headerPresent: headerPresent, path: path, decimalComma: decimalComma,
                            skipBadLines: options.badLines == .skip, decoding: decoding, quoting: quoting)

        // Columns are matched by name from here on: a name used twice would be matched wrongly.
        var seen: [String: Int] = [:]
        for i in 0..<columns where slots[i] >= 0 || i == labelColumn || i == idColumn {
            if let earlier = seen[layout.names[i]] {
                let named = quoting.quote(layout.names[i]).map { "are both named '\($0)'" } ?? "have the same name"
                var error = fail(.duplicateColumn,
                                 "Columns \(earlier + 1) and \(i + 1) \(named); rename one, or leave one out with ignore.",
                                 line: headerPresent ? first.line : nil)
                error.field = quoting.recognised ? layout.names[i] : nil
                throw error
            }
            seen[layout.names[i]] = i
        }

        let dataStart = headerPresent ? min(first.end + 1, count) : first.start
        let dataLine = headerPresent ? first.line + first.inner + 1 : first.line
        return Prepared(layout: layout, header: header, dataStart: dataStart, dataLine: dataLine, warnings: warnings)
    }

    func load(layout: Layout, header: [[UInt8]]?, dataStart: Int, dataLine: Int,
              warnings: [String]) throws(DataError) -> LoadedTable {
        let threads = options.threads == 0 ? coreCount() : options.threads
        let parsed = try parseChunks(layout: layout, dataStart: dataStart, dataLine: dataLine, threads: threads)
        if parsed.rows == 0 {
            throw fail(.headerOnly, "\(path) has a header but no data rows.")
        }
        var matrix = parsed.matrix, classes = parsed.classes, firstRows = parsed.firstRows
        let outputs = parsed.outputs
        let keptRows = compactSkipped(outputs: outputs, firstRows: &firstRows, width: layout.width,
                                      matrix: &matrix, classes: &classes)
        if keptRows == 0 {
            throw fail(.headerOnly, "Every data row of \(path) is a bad line (a wrong number of fields), so none is left.")
        }

        return try assemble(layout: layout, header: header, rows: keptRows, matrix: &matrix, classes: &classes,
                            outputs: outputs, firstRows: firstRows, threads: threads, warnings: warnings)
    }
}
