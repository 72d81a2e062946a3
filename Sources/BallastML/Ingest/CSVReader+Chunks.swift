import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The parallel parse: the data cut into chunks at record boundaries, each parsed on its own thread.

extension Reader {
    /// The records of [dataStart, count) parsed into rows: the float32 matrix (one row a record,
    /// bad lines skipped leave their rows unwritten), the chunk-local label ids, each chunk's
    /// output and first row, the record count and the line after the last byte.
    struct ParsedChunks {
        var matrix: [Float]
        var classes: [Int32]
        var outputs: [ChunkOutput]
        var firstRows: [Int]
        var rows: Int
        var endLine: Int
    }

    /// Cuts [dataStart, count) into chunks at record boundaries and parses them on `threads`
    /// threads; throws the first chunk's error (a parse error, a line too long).
    func parseChunks(layout: Layout, dataStart: Int, dataLine: Int, threads: Int) throws(DataError) -> ParsedChunks {
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
                                message: "Line \(at) is \(counts[i].tooLongBytes) bytes long, more than the limit of \(maxLine) bytes.",
                                path: path, line: at)
            }
            firstRows[i + 1] = firstRows[i] + counts[i].records
            firstLines[i + 1] = firstLines[i] + counts[i].newlines
        }
        let rows = firstRows[chunkCount]
        if rows == 0 {
            return ParsedChunks(matrix: [], classes: [], outputs: [], firstRows: [0], rows: 0, endLine: firstLines[chunkCount])
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
        return ParsedChunks(matrix: matrix, classes: classes, outputs: outputs, firstRows: firstRows, rows: rows,
                            endLine: firstLines[chunkCount])
    }
}
