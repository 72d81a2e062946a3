import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads CSV/TSV files into a `Dataset`.
///
/// Format: RFC 4180 quoting (quoted delimiters and newlines, `""` for a quote), LF or CRLF, an optional
/// UTF-8 byte-order mark, blanks around fields trimmed, blank lines skipped. The delimiter is detected
/// among `,` tab `;` `|` by counting occurrences outside quotes on the first records and picking the one
/// that appears the same, non-zero number of times on every record (most occurrences wins).
///
/// Header (`.auto`): the first record is a header when any of its fields, other than the label column,
/// is text (not a number and not a missing marker). Without a header, features are named `x1…xN` and
/// the label column `label`.
///
/// Labels are kept as their trimmed, unquoted text. Classes are sorted: numerically when every label
/// is a number (`"2"` before `"10"`), otherwise lexicographically by Unicode scalars.
///
/// Text feature columns: a column whose every present cell is text is one-hot encoded when it has at
/// most `maxCategoricalLevels` distinct values (features `column=value`, levels sorted, in place of the
/// column), and is a `tooManyLevels` error otherwise. A column where at least one cell is a number and
/// another is text is a `notNumeric` error at the first text cell: a stray word among numbers is almost
/// always a data error, not a category.
///
/// Speed: the file is mapped, cut into chunks at record boundaries (quote parity per chunk is found by
/// counting quotes in parallel), records are counted, the float32 matrix is allocated once, and chunks
/// are parsed on several threads straight into their rows. Results do not depend on the thread count.
public enum CSVLoader {
    public static func load(path: String, options: CSVOptions) throws(DataError) -> LoadedTable {
        try validate(options, path: path)
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            let code = errno
            switch code {
            case EACCES, EPERM:
                throw DataError(kind: .permissionDenied, message: "Permission denied reading \(path).", path: path)
            case EISDIR:
                throw DataError(kind: .isDirectory, message: "\(path) is a folder, not a file.", path: path)
            case ENOENT, ENOTDIR:
                throw DataError(kind: .fileNotFound, message: "No file at \(path).", path: path)
            default:
                throw DataError(kind: .fileNotFound,
                                message: "Cannot open \(path): \(String(cString: strerror(code))).", path: path)
            }
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw DataError(kind: .fileNotFound, message: "Cannot read \(path).", path: path)
        }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            throw DataError(kind: .isDirectory, message: "\(path) is a folder, not a file.", path: path)
        }
        if (info.st_mode & S_IFMT) != S_IFREG {
            // Pipes and devices: read everything.
            var data: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            while true {
                let got = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if got < 0 { throw DataError(kind: .fileNotFound, message: "Cannot read \(path).", path: path) }
                if got == 0 { break }
                data.append(contentsOf: chunk[0..<got])
            }
            let result = data.withUnsafeBytes { buffer in
                Result { () throws(DataError) -> LoadedTable in try load(bytes: buffer, path: path, options: options) }
            }
            return try result.get()
        }
        let size = Int(info.st_size)
        if size == 0 { throw DataError(kind: .empty, message: "\(path) is empty.", path: path) }
        #if os(Linux)
        let flags = MAP_PRIVATE | MAP_POPULATE
        #else
        let flags = MAP_PRIVATE
        #endif
        guard let mapped = mmap(nil, size, PROT_READ, flags, fd, 0), mapped != MAP_FAILED else {
            throw DataError(kind: .fileNotFound, message: "Cannot map \(path) into memory.", path: path)
        }
        defer { munmap(mapped, size) }
        return try load(bytes: UnsafeRawBufferPointer(start: mapped, count: size), path: path, options: options)
    }

    public static func load(bytes: UnsafeRawBufferPointer, path: String,
                            options: CSVOptions) throws(DataError) -> LoadedTable {
        try validate(options, path: path)
        guard let raw = bytes.baseAddress, bytes.count > 0 else {
            throw DataError(kind: .empty, message: "\(path) is empty.", path: path)
        }
        return try Reader(base: raw.assumingMemoryBound(to: UInt8.self), count: bytes.count,
                          path: path, options: options).run()
    }

    static func validate(_ options: CSVOptions, path: String) throws(DataError) {
        func bad(_ message: String) -> DataError { DataError(kind: .invalidOption, message: message, path: path) }
        if let d = options.delimiter {
            if d == CSVLexer.quote || d == CSVLexer.newline || d == CSVLexer.cr || d == CSVLexer.space || d >= 0x80 {
                throw bad("The delimiter must be a single ASCII character other than a quote, space or newline.")
            }
        }
        if case .index(let i) = options.label, i < 0 { throw bad("The label column index must be 0 or more.") }
        if options.maxCategoricalLevels < 0 { throw bad("maxCategoricalLevels must be 0 or more.") }
        if options.maxLineBytes <= 0 { throw bad("maxLineBytes must be positive.") }
        if options.threads < 0 { throw bad("threads must be 0 (all cores) or more.") }
    }
}

// MARK: - Parallel helpers

struct SendableBox<T>: @unchecked Sendable { var value: T }

func parallelFor(_ count: Int, threads: Int, _ body: (Int) -> Void) {
    if count <= 0 { return }
    let workers = min(threads, count)
    if workers <= 1 {
        for i in 0..<count { body(i) }
        return
    }
    withoutActuallyEscaping(body) { escapable in
        let box = SendableBox(value: escapable)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var i = worker
            while i < count { box.value(i); i += workers }
        }
    }
}

func coreCount() -> Int {
    let n = sysconf(Int32(_SC_NPROCESSORS_ONLN))
    return n > 0 ? n : 1
}

// MARK: - Per-chunk parsing

struct TextSighting { var line: Int; var value: String }

final class ChunkOutput: @unchecked Sendable {
    var error: DataError?
    var missing: [Int] = []
    var textCells: [Int] = []
    var firstText: [TextSighting?] = []
    var text: [ByteInterner?] = []
    var labels = ByteInterner()
    var rowsWithMissing: [Int] = []
}

struct Layout {
    let delimiter: UInt8
    let trimTab: Bool
    let columns: Int
    let labelColumn: Int
    let width: Int
    let missingIsError: Bool
    let dropping: Bool
    let names: [String]
    let headerPresent: Bool
    let path: String

    func describe(_ column: Int) -> String { "column \(column + 1) ('\(names[column])')" }

    func error(_ kind: DataError.Kind, _ message: String, line: Int?, column: Int?) -> DataError {
        DataError(kind: kind, message: message, path: path, line: line, column: column.map { $0 + 1 },
                  field: column.map { names[$0] })
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
        let labelColumn = self.labelColumn, width = self.width
        var missing = [Int](repeating: 0, count: width)
        var textCells = [Int](repeating: 0, count: width)
        var firstText = [TextSighting?](repeating: nil, count: width)
        var text = [ByteInterner?](repeating: nil, count: width)
        var labels = ByteInterner()
        var rowsWithMissing: [Int] = []
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
        }

        while p < end {
            var b = p
            while CSVLexer.isBlankByte(b[0], trimTab) { b += 1 }
            if b[0] == CSVLexer.newline { p = b + 1; line += 1; continue }
            let recordLine = line
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
                } else {
                    let slot = column < labelColumn ? column : column - 1
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
                                                    "Line \(line), \(describe(column)) holds \(shown), which does not fit in a float32.",
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
                        switch CSVLexer.classify(scratch) {
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
                                                "Line \(fieldLine), \(describe(column)) holds \(shown), which is not a finite number.",
                                                line: fieldLine, column: column))
                        case .text:
                            textCells[slot] += 1
                            if firstText[slot] == nil {
                                firstText[slot] = TextSighting(line: fieldLine, value: String(decoding: scratch, as: UTF8.self))
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

// MARK: - The whole load

struct Reader {
    let base: UnsafePointer<UInt8>
    let count: Int
    let path: String
    let options: CSVOptions

    func fail(_ kind: DataError.Kind, _ message: String, line: Int? = nil) -> DataError {
        DataError(kind: kind, message: message, path: path, line: line)
    }

    func checkBinary(from start: Int) throws(DataError) {
        let sampleEnd = min(count, start + 8192)
        let sample = UnsafeBufferPointer(start: base + start, count: sampleEnd - start)
        if memchr(sample.baseAddress!, 0, sample.count) != nil {
            throw fail(.binary, "\(path) looks like a binary file: it contains NUL bytes near the start.")
        }
        var end = sample.count
        if sampleEnd < count {
            // The sample may cut a multi-byte character: drop an incomplete trailing sequence.
            var i = end - 1
            var back = 0
            while i > 0 && back < 3 && sample[i] & 0xC0 == 0x80 { i -= 1; back += 1 }
            end = i
        }
        if String(validating: UnsafeBufferPointer(rebasing: sample[0..<end]), as: UTF8.self) == nil {
            throw fail(.binary, "\(path) looks like a binary file: it is not valid UTF-8 text.")
        }
    }

    func run() throws(DataError) -> LoadedTable {
        var start = 0
        if count >= 3 && base[0] == 0xEF && base[1] == 0xBB && base[2] == 0xBF { start = 3 }
        if start < count { try checkBinary(from: start) }
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
                throw fail(.lineTooLong, "Line \(sampleLine) is longer than the limit of \(maxLine) bytes (maxLineBytes).",
                           line: sampleLine)
            }
            sample.append(Record(start: q, end: e, line: sampleLine, inner: inner))
            sampleLine += inner + 1
            q = e + 1
        }
        let delimiter = options.delimiter ?? detectDelimiter(sample.map { ($0.start, $0.end) })
        let trimTab = delimiter != CSVLexer.tab

        let first = sample[0]
        let firstFields = CSVLexer.fields(base, first.start, first.end, delimiter, trimTab)
            .map { String(decoding: $0, as: UTF8.self) }
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
                headerPresent = firstFields.enumerated().contains { i, field in
                    i != guess && CSVLexer.classify(Array(field.utf8)) == .text
                }
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
                let shown = firstFields.prefix(20).joined(separator: ", ") + (columns > 20 ? ", …" : "")
                var error = fail(.labelColumnMissing, "There is no column named '\(name)'; the header has: \(shown).",
                                 line: first.line)
                error.field = name
                throw error
            }
            labelColumn = i
        }

        var names: [String] = []
        var feature = 0
        for i in 0..<columns {
            if i == labelColumn {
                names.append(headerPresent && !firstFields[i].isEmpty ? firstFields[i] : "label")
            } else {
                feature += 1
                names.append(headerPresent && !firstFields[i].isEmpty ? firstFields[i] : "x\(feature)")
            }
        }
        let layout = Layout(delimiter: delimiter, trimTab: trimTab, columns: columns, labelColumn: labelColumn,
                            width: columns - 1, missingIsError: options.missing == .error,
                            dropping: options.missing == .dropRows, names: names,
                            headerPresent: headerPresent, path: path)

        let dataStart = headerPresent ? min(first.end + 1, count) : first.start
        let dataLine = headerPresent ? first.line + first.inner + 1 : first.line
        return try load(layout: layout, dataStart: dataStart, dataLine: dataLine)
    }

    func detectDelimiter(_ records: [(Int, Int)]) -> UInt8 {
        let candidates: [UInt8] = [UInt8(ascii: ","), CSVLexer.tab, UInt8(ascii: ";"), UInt8(ascii: "|")]
        var counts = [[Int]](repeating: [], count: candidates.count)
        for (s, e) in records {
            var perCandidate = [Int](repeating: 0, count: candidates.count)
            var inQuote = false
            for i in s..<e {
                let c = base[i]
                if c == CSVLexer.quote { inQuote.toggle(); continue }
                if inQuote { continue }
                for k in 0..<candidates.count where candidates[k] == c { perCandidate[k] += 1 }
            }
            for k in 0..<candidates.count { counts[k].append(perCandidate[k]) }
        }
        var best: (score: (Int, Int, Int), index: Int)? = nil
        for k in 0..<candidates.count {
            let c = counts[k]
            guard let firstCount = c.first, firstCount > 0 else { continue }
            let agreeing = c.filter { $0 == firstCount }.count
            let consistent = agreeing == c.count ? 1 : 0
            let score = (consistent, consistent == 1 ? firstCount : agreeing, firstCount)
            if best == nil || score > best!.score { best = (score, k) }
        }
        return candidates[best?.index ?? 0]
    }

    func load(layout: Layout, dataStart: Int, dataLine: Int) throws(DataError) -> LoadedTable {
        let threads = options.threads == 0 ? coreCount() : options.threads
        let dataLength = count - dataStart
        let data = base + dataStart
        let dataEnd = base + count
        let hasQuotes = dataLength > 0 && memchr(data, Int32(CSVLexer.quote), dataLength) != nil

        // 1. Chunk boundaries at record starts.
        var chunkCount = threads <= 1 ? 1 : max(1, min(dataLength / (1 << 16), threads * 4))
        var bounds = [Int](repeating: 0, count: chunkCount + 1)
        for i in 0...chunkCount { bounds[i] = dataStart + Int((Int64(dataLength) * Int64(i)) / Int64(chunkCount)) }
        // The parser needs every chunk to end with a newline; when the file does not, the last chunk is
        // copied with one added. Cut a small final chunk so that copy stays small.
        let endsWithNewline = base[count - 1] == CSVLexer.newline
        let smallTail = 1 << 16
        if !endsWithNewline && bounds[chunkCount] - bounds[chunkCount - 1] > 2 * smallTail {
            bounds.insert(count - smallTail, at: chunkCount)
            chunkCount += 1
        }
        var quoteParity = [Bool](repeating: false, count: chunkCount + 1)
        if hasQuotes && chunkCount > 1 {
            var quoteCounts = [Int](repeating: 0, count: chunkCount)
            let rawBounds = bounds
            quoteCounts.withUnsafeMutableBufferPointer { countsOut in
                let sink = SendableBox(value: countsOut)
                parallelFor(chunkCount, threads: threads) { i in
                    sink.value[i] = CSVLexer.countQuotes(base + rawBounds[i], base + rawBounds[i + 1])
                }
            }
            var running = 0
            for i in 0..<chunkCount { quoteParity[i] = running % 2 == 1; running += quoteCounts[i] }
        }
        for i in 1..<chunkCount {
            let raw = bounds[i]
            if bounds[i - 1] >= raw { bounds[i] = bounds[i - 1]; continue }
            var inQuote = quoteParity[i]
            var j = raw
            if !hasQuotes {
                j = CSVLexer.find(CSVLexer.newline, base + raw, dataEnd) - base
            } else {
                while j < count {
                    let c = base[j]
                    if c == CSVLexer.quote { inQuote.toggle() } else if c == CSVLexer.newline && !inQuote { break }
                    j += 1
                }
            }
            bounds[i] = min(j + 1, count)
        }

        // 2. Count records and physical lines per chunk.
        var counts = [CSVLexer.Count](repeating: CSVLexer.Count(), count: chunkCount)
        let countBounds = bounds
        let maxLine = options.maxLineBytes
        counts.withUnsafeMutableBufferPointer { out in
            let sink = SendableBox(value: out)
            parallelFor(chunkCount, threads: threads) { i in
                sink.value[i] = CSVLexer.count(base + countBounds[i], base + countBounds[i + 1], quotes: hasQuotes,
                                               trimTab: layout.trimTab, maxLine: maxLine)
            }
        }
        var firstRows = [Int](repeating: 0, count: chunkCount + 1)
        var firstLines = [Int](repeating: dataLine, count: chunkCount + 1)
        for i in 0..<chunkCount {
            if let local = counts[i].tooLongLine {
                let at = firstLines[i] + local
                throw DataError(kind: .lineTooLong,
                                message: "Line \(at) is \(counts[i].tooLongBytes) bytes long, more than the limit of \(maxLine) bytes (maxLineBytes).",
                                path: path, line: at)
            }
            firstRows[i + 1] = firstRows[i] + counts[i].records
            firstLines[i + 1] = firstLines[i] + counts[i].newlines
        }
        let rows = firstRows[chunkCount]
        if rows == 0 {
            throw fail(.headerOnly, "\(path) has a header but no data rows.")
        }

        // 3. Parse every chunk into the matrix.
        let width = layout.width
        var matrix = [Float](unsafeUninitializedCapacity: rows * width) { _, n in n = rows * width }
        var classes = [Int32](unsafeUninitializedCapacity: rows) { _, n in n = rows }
        let outputs = (0..<chunkCount).map { _ in ChunkOutput() }
        // The last non-empty chunk must end with a newline for the parser's sentinel; copy it if it does not.
        var tailCopy: UnsafeMutablePointer<UInt8>? = nil
        var tailChunk = -1
        if !endsWithNewline {
            tailChunk = (0..<chunkCount).last { bounds[$0] < bounds[$0 + 1] } ?? 0
            let n = count - bounds[tailChunk]
            let copy = UnsafeMutablePointer<UInt8>.allocate(capacity: n + 1)
            copy.initialize(from: base + bounds[tailChunk], count: n)
            copy[n] = CSVLexer.newline
            tailCopy = copy
        }
        defer { tailCopy?.deallocate() }
        let parseBounds = bounds
        let tail = SendableBox(value: tailCopy)
        matrix.withUnsafeMutableBufferPointer { m in
            classes.withUnsafeMutableBufferPointer { c in
                let sink = SendableBox(value: (m.baseAddress ?? UnsafeMutablePointer(bitPattern: 8)!, c.baseAddress!))
                parallelFor(chunkCount, threads: threads) { i in
                    var s = base + parseBounds[i]
                    var e = base + parseBounds[i + 1]
                    if i == tailChunk, let copy = tail.value {
                        s = UnsafePointer(copy)
                        e = UnsafePointer(copy) + (count - parseBounds[i] + 1)
                    }
                    layout.parse(start: s, end: e, firstRow: firstRows[i], firstLine: firstLines[i],
                                 matrix: sink.value.0, classes: sink.value.1, into: outputs[i])
                }
            }
        }
        for out in outputs { if let error = out.error { throw error } }

        return try assemble(layout: layout, rows: rows, matrix: &matrix, classes: &classes,
                            outputs: outputs, firstRows: firstRows, threads: threads)
    }

    // MARK: Assembly

    func assemble(layout: Layout, rows: Int, matrix: inout [Float], classes: inout [Int32], outputs: [ChunkOutput],
                  firstRows: [Int], threads: Int) throws(DataError) -> LoadedTable {
        let width = layout.width
        func sourceColumn(_ slot: Int) -> Int { slot < layout.labelColumn ? slot : slot + 1 }

        // Column kinds.
        var missing = [Int](repeating: 0, count: width)
        var textCells = [Int](repeating: 0, count: width)
        var firstText = [TextSighting?](repeating: nil, count: width)
        for out in outputs {
            for s in 0..<width {
                missing[s] += out.missing[s]
                textCells[s] += out.textCells[s]
                if firstText[s] == nil { firstText[s] = out.firstText[s] }
            }
        }
        var mixed: (line: Int, slot: Int)? = nil
        for s in 0..<width where textCells[s] > 0 && textCells[s] + missing[s] < rows {
            let at = firstText[s]!.line
            if mixed == nil || at < mixed!.line { mixed = (at, s) }
        }
        if let (line, slot) = mixed {
            let column = sourceColumn(slot)
            throw layout.error(.notNumeric,
                               "Line \(line), \(layout.describe(column)) holds '\(firstText[slot]!.value)' where the rest of the column is numbers.",
                               line: line, column: column)
        }

        // Text columns: levels and per-chunk id maps.
        var levels = [[String]?](repeating: nil, count: width)
        var levelMaps = [[[Int32]]](repeating: [], count: width)   // [slot][chunk][local id] -> level
        for s in 0..<width where textCells[s] > 0 {
            var all = Set<String>()
            for out in outputs { if let t = out.text[s] { all.formUnion(t.strings) } }
            let column = sourceColumn(s)
            if all.count > options.maxCategoricalLevels {
                throw layout.error(.tooManyLevels,
                                   "\(layout.describe(column).capitalizedFirst) holds \(all.count) distinct text values, more than the \(options.maxCategoricalLevels) that can be one-hot encoded (maxCategoricalLevels).",
                                   line: nil, column: column)
            }
            let sorted = all.sorted()
            let index = Dictionary(uniqueKeysWithValues: sorted.enumerated().map { ($1, Int32($0)) })
            levels[s] = sorted
            levelMaps[s] = outputs.map { out in out.text[s].map { t in t.strings.map { index[$0]! } } ?? [] }
        }

        // Labels: merge, sort, remap.
        var labelSet = Set<String>()
        for out in outputs { labelSet.formUnion(out.labels.strings) }
        var labels = sortLabels(Array(labelSet))
        do {
            let index = Dictionary(uniqueKeysWithValues: labels.enumerated().map { ($1, Int32($0)) })
            let maps = outputs.map { $0.labels.strings.map { index[$0]! } }
            classes.withUnsafeMutableBufferPointer { c in
                for i in 0..<outputs.count {
                    let map = maps[i]
                    for r in firstRows[i]..<firstRows[i + 1] { c[r] = map[Int(c[r])] }
                }
            }
        }

        // One-hot expansion.
        var featureNames: [String] = []
        var missingPerFeature: [Int] = []
        var encodedColumns: [String] = []
        for s in 0..<width {
            let name = layout.names[sourceColumn(s)]
            if let lv = levels[s] {
                encodedColumns.append(name)
                for level in lv { featureNames.append("\(name)=\(level)"); missingPerFeature.append(missing[s]) }
            } else {
                featureNames.append(name)
                missingPerFeature.append(missing[s])
            }
        }
        let finalWidth = featureNames.count
        if !encodedColumns.isEmpty {
            var offsets = [Int](repeating: 0, count: width)
            var o = 0
            for s in 0..<width { offsets[s] = o; o += levels[s]?.count ?? 1 }
            var expanded = [Float](repeating: 0, count: rows * finalWidth)
            let isText = levels.map { $0 != nil }
            let frozenMaps = levelMaps
            matrix.withUnsafeBufferPointer { src in
                expanded.withUnsafeMutableBufferPointer { dst in
                    let sink = SendableBox(value: (src.baseAddress!, dst.baseAddress!))
                    parallelFor(outputs.count, threads: threads) { i in
                        let (from, to) = sink.value
                        for r in firstRows[i]..<firstRows[i + 1] {
                            let a = from + r * width, b = to + r * finalWidth
                            for s in 0..<width {
                                let v = a[s]
                                if !isText[s] { b[offsets[s]] = v; continue }
                                if v.isNaN {
                                    for k in 0..<(levels[s]!.count) { b[offsets[s] + k] = .nan }
                                } else {
                                    b[offsets[s] + Int(frozenMaps[s][i][Int(v)])] = 1
                                }
                            }
                        }
                    }
                }
            }
            matrix = expanded
        }

        // Missing cells.
        var dropped = 0
        let anyMissing = missing.contains { $0 > 0 }
        if anyMissing && options.missing == .dropRows {
            var drop: [Int] = []
            for out in outputs { drop.append(contentsOf: out.rowsWithMissing) }
            var kept = 0
            var k = 0
            matrix.withUnsafeMutableBufferPointer { m in
                for r in 0..<rows {
                    if k < drop.count && drop[k] == r { k += 1; continue }
                    if kept != r {
                        (m.baseAddress! + kept * finalWidth).update(from: m.baseAddress! + r * finalWidth, count: finalWidth)
                        classes[kept] = classes[r]
                    }
                    kept += 1
                }
            }
            dropped = rows - kept
            if kept == 0 {
                throw fail(.missingValue, "Every row of \(path) has a missing value, so dropping them leaves nothing.")
            }
            matrix.removeLast(dropped * finalWidth)
            classes.removeLast(dropped)
            if dropped * 4 > rows {
                // Give back the capacity of the dropped rows.
                matrix = matrix.withUnsafeBufferPointer { Array($0) }
                classes = classes.withUnsafeBufferPointer { Array($0) }
            }
        } else if anyMissing && options.missing == .imputeMean {
            let n = rows
            var sums = [Double](repeating: 0, count: finalWidth)
            var present = [Int](repeating: 0, count: finalWidth)
            let columnsWithMissing = (0..<finalWidth).filter { missingPerFeature[$0] > 0 }
            matrix.withUnsafeBufferPointer { m in
                for r in 0..<n {
                    let rowBase = r * finalWidth
                    for c in columnsWithMissing {
                        let v = m[rowBase + c]
                        if !v.isNaN { sums[c] += Double(v); present[c] += 1 }
                    }
                }
            }
            var means = [Float](repeating: 0, count: finalWidth)
            for c in columnsWithMissing {
                if present[c] == 0 {
                    var s = 0
                    var o = 0
                    for slot in 0..<width { let w = levels[slot]?.count ?? 1; if c < o + w { s = slot; break }; o += w }
                    let column = sourceColumn(s)
                    throw layout.error(.missingValue,
                                       "\(layout.describe(column).capitalizedFirst) has no values at all, so there is no mean to impute.",
                                       line: nil, column: column)
                }
                means[c] = Float(sums[c] / Double(present[c]))
            }
            matrix.withUnsafeMutableBufferPointer { m in
                for r in 0..<n {
                    let rowBase = r * finalWidth
                    for c in columnsWithMissing where m[rowBase + c].isNaN { m[rowBase + c] = means[c] }
                }
            }
        }

        // Classes actually present (dropping rows can remove one).
        var classCounts = [Int](repeating: 0, count: labels.count)
        for c in classes { classCounts[Int(c)] += 1 }
        if classCounts.contains(0) {
            var remap = [Int32](repeating: -1, count: labels.count)
            var kept: [String] = []
            var keptCounts: [Int] = []
            for (i, label) in labels.enumerated() where classCounts[i] > 0 {
                remap[i] = Int32(kept.count)
                kept.append(label)
                keptCounts.append(classCounts[i])
            }
            for r in 0..<classes.count { classes[r] = remap[Int(classes[r])] }
            labels = kept
            classCounts = keptCounts
        }
        if labels.count < 2 {
            let labelName = layout.names[layout.labelColumn]
            var error = fail(.singleClass,
                             "Every row of \(path) has the label '\(labels.first ?? "")' in column '\(labelName)'; classification needs at least two classes.")
            error.field = labelName
            error.column = layout.labelColumn + 1
            throw error
        }
        var positiveClass: Int? = nil
        if let wanted = options.positive {
            guard let index = labels.firstIndex(of: wanted) else {
                let shown = labels.prefix(20).joined(separator: ", ") + (labels.count > 20 ? ", …" : "")
                throw fail(.unknownPositive, "The positive class '\(wanted)' is not among the labels present: \(shown).")
            }
            if labels.count != 2 {
                throw fail(.invalidOption,
                           "A positive class only applies to binary data, but \(path) has \(labels.count) classes.")
            }
            positiveClass = index
        } else if labels.count == 2 {
            positiveClass = classCounts[0] < classCounts[1] ? 0 : 1
        }

        let dataset = Dataset(featureNames: featureNames, features: matrix, classIndex: classes,
                              classLabels: labels, positiveClass: positiveClass)
        return LoadedTable(dataset: dataset, missingPerFeature: missingPerFeature, droppedRows: dropped,
                           encodedColumns: encodedColumns)
    }

    /// Numeric order when every label is a number, otherwise lexicographic; ties broken by text.
    func sortLabels(_ labels: [String]) -> [String] {
        let values = labels.map { label -> Double? in
            let (_, status) = FloatParser.parse(Array(label.utf8))
            return status == .invalid ? nil : Double(label)
        }
        if values.allSatisfy({ $0 != nil }) {
            return zip(labels, values).sorted { a, b in
                a.1! != b.1! ? a.1! < b.1! : a.0 < b.0
            }.map(\.0)
        }
        return labels.sorted()
    }
}

extension String {
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
