#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a single cell holds once unquoted and trimmed.
enum CellKind: Equatable {
    case number(Float)
    case missing
    case nonFinite
    case text
}

/// Byte-level pieces of the CSV reader: field lexing, record boundaries, counting. All functions work
/// on raw pointers; quote handling is "parity" RFC 4180: every `"` toggles quoted state, and `""`
/// inside a quoted section is a literal quote, so a record boundary is a `\n` seen an even number of
/// quotes after the previous boundary.
enum CSVLexer {
    static let quote = UInt8(ascii: "\"")
    static let newline = UInt8(ascii: "\n")
    static let cr = UInt8(ascii: "\r")
    static let space = UInt8(ascii: " ")
    static let tab = UInt8(ascii: "\t")

    @inline(__always)
    static func isBlankByte(_ c: UInt8, _ trimTab: Bool) -> Bool {
        c == space || c == cr || (c == tab && trimTab)
    }

    /// Lexes one field starting at `f` into `scratch` (unquoted, surrounding unquoted blanks trimmed).
    /// Returns the terminator: the delimiter, the `\n` ending the record (for CRLF, the `\n`), or `end`
    /// when the data ends outside quotes. Returns nil when the data ends inside a quoted section.
    /// `newlines` is increased by the newlines inside quotes.
    static func lexField(_ f: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>, _ delimiter: UInt8,
                         _ trimTab: Bool, _ scratch: inout [UInt8], _ newlines: inout Int) -> UnsafePointer<UInt8>? {
        scratch.removeAll(keepingCapacity: true)
        var q = f
        while q < end && (q[0] == space || (q[0] == tab && trimTab)) { q += 1 }
        var inQuote = false
        var protectedEnd = 0
        while true {
            if q >= end {
                if inQuote { return nil }
                break
            }
            let c = q[0]
            if inQuote {
                if c == quote {
                    if q + 1 < end && q[1] == quote {
                        scratch.append(quote)
                        q += 2
                        continue
                    }
                    inQuote = false
                    protectedEnd = scratch.count
                    q += 1
                    continue
                }
                if c == newline { newlines += 1 }
                scratch.append(c)
                q += 1
            } else {
                if c == delimiter || c == newline { break }
                if c == cr && q + 1 < end && q[1] == newline { q += 1; break }
                if c == quote { inQuote = true; q += 1; continue }
                scratch.append(c)
                q += 1
            }
        }
        while scratch.count > protectedEnd,
              let last = scratch.last, last == space || last == cr || (last == tab && trimTab) {
            scratch.removeLast()
        }
        return q
    }

    /// Classifies an unquoted, trimmed cell. Missing markers: empty, `NA`, `NaN` (any case), `?`.
    /// With `decimalComma`, a number is written with one `,` and no `.` (`1,5`); no thousands
    /// separators either way.
    static func classify(_ bytes: [UInt8], decimalComma: Bool) -> CellKind {
        if decimalComma, let comma = bytes.firstIndex(of: UInt8(ascii: ",")), !bytes.contains(UInt8(ascii: ".")) {
            var swapped = bytes
            swapped[comma] = UInt8(ascii: ".")
            if case .number(let v) = classify(swapped) { return .number(v) }
            return .text
        }
        return classify(bytes)
    }

    /// Classifies a cell written with a decimal point.
    static func classify(_ bytes: [UInt8]) -> CellKind {
        if bytes.isEmpty { return .missing }
        if bytes.count <= 9 {
            let lower = String(decoding: bytes.map { $0 >= 65 && $0 <= 90 ? $0 | 0x20 : $0 }, as: UTF8.self)
            switch lower {
            case "na", "nan", "?": return .missing
            case "inf", "+inf", "-inf", "infinity", "+infinity", "-infinity": return .nonFinite
            default: break
            }
        }
        let (value, status) = FloatParser.parse(bytes)
        switch status {
        case .ok: return .number(value)
        case .overflow: return .nonFinite
        case .invalid: return .text
        }
    }

    /// Index of the `\n` ending the record that starts at `from` (or `n`), and the newlines inside quotes.
    static func recordEnd(_ base: UnsafePointer<UInt8>, _ from: Int, _ n: Int) -> (end: Int, inner: Int) {
        var i = from
        var inQuote = false
        var inner = 0
        while i < n {
            let c = base[i]
            if c == quote {
                inQuote.toggle()
            } else if c == newline {
                if !inQuote { return (i, inner) }
                inner += 1
            }
            i += 1
        }
        return (n, inner)
    }

    /// Splits the record [start, end) into unquoted, trimmed fields.
    static func fields(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int, _ delimiter: UInt8,
                       _ trimTab: Bool) -> [[UInt8]] {
        var result: [[UInt8]] = []
        var scratch: [UInt8] = []
        var p = base + start
        let e = base + end
        var ignored = 0
        while true {
            guard let t = lexField(p, e, delimiter, trimTab, &scratch, &ignored) else {
                result.append(scratch)
                break
            }
            result.append(scratch)
            if t >= e || t[0] == newline { break }
            p = t + 1
        }
        return result
    }

    /// The fields of the record starting at `p`, the `\n` ending it (or `end`) and the newlines
    /// inside its quotes; nil when it ends inside quotes (the parser then reports the open quote).
    /// Quote parity, as `recordEnd`: used to vet a record before parsing it.
    static func fieldCount(_ p: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>,
                           _ delimiter: UInt8) -> (fields: Int, stop: UnsafePointer<UInt8>, inner: Int)? {
        var q = p
        var inQuote = false
        var fields = 1
        var inner = 0
        while q < end {
            let c = q[0]
            if c == quote {
                inQuote.toggle()
            } else if c == newline {
                if !inQuote { return (fields, q, inner) }
                inner += 1
            } else if c == delimiter && !inQuote {
                fields += 1
            }
            q += 1
        }
        return inQuote ? nil : (fields, end, inner)
    }

    /// Number of `"` bytes in [start, end).
    static func countQuotes(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) -> Int {
        let buffer = UnsafeBufferPointer(start: start, count: end - start)
        var total = 0
        var i = 0
        while i < buffer.count {
            let stop = min(buffer.count, i + 65_536)
            var partial: UInt32 = 0
            while i < stop { partial &+= buffer[i] == quote ? 1 : 0; i += 1 }
            total += Int(partial)
        }
        return total
    }

    @inline(__always)
    static func find(_ byte: UInt8, _ p: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) -> UnsafePointer<UInt8> {
        if p >= end { return end }
        guard let hit = memchr(p, Int32(byte), end - p) else { return end }
        return UnsafePointer(hit.assumingMemoryBound(to: UInt8.self))
    }

    struct Count {
        var records = 0
        var newlines = 0
        /// Chunk-local physical line index (0-based) of the first record longer than the limit.
        var tooLongLine: Int? = nil
        var tooLongBytes = 0
    }

    /// Counts non-blank records and physical newlines in [start, end), checking record length.
    static func count(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>, quotes: Bool,
                      trimTab: Bool, maxLine: Int) -> Count {
        var c = Count()
        @inline(__always) func nonBlank(_ s: UnsafePointer<UInt8>, _ e: UnsafePointer<UInt8>) -> Bool {
            var b = s
            while b < e && isBlankByte(b[0], trimTab) { b += 1 }
            return b < e
        }
        if !quotes {
            var p = start
            while p < end {
                let q = find(newline, p, end)
                if q - p > maxLine { c.tooLongLine = c.newlines; c.tooLongBytes = q - p; return c }
                if nonBlank(p, q) { c.records += 1 }
                if q < end { c.newlines += 1 }
                p = q + 1
            }
            return c
        }
        var p = start
        var recordStart = start
        var recordLine = 0
        var recordHasQuote = false
        var inQuote = false
        while p < end {
            let q = find(quote, p, end)
            if inQuote {
                var s = p
                while true {
                    let nl = find(newline, s, q)
                    if nl >= q { break }
                    c.newlines += 1
                    s = nl + 1
                }
                if q - recordStart > maxLine { c.tooLongLine = recordLine; c.tooLongBytes = q - recordStart; return c }
                inQuote = false
            } else {
                var s = p
                while true {
                    let nl = find(newline, s, q)
                    if nl >= q { break }
                    if nl - recordStart > maxLine {
                        c.tooLongLine = recordLine; c.tooLongBytes = nl - recordStart; return c
                    }
                    if recordHasQuote || nonBlank(recordStart, nl) { c.records += 1 }
                    c.newlines += 1
                    recordStart = nl + 1
                    recordLine = c.newlines
                    recordHasQuote = false
                    s = nl + 1
                }
                if q < end { inQuote = true; recordHasQuote = true }
            }
            p = q + 1
        }
        if recordStart < end {
            if end - recordStart > maxLine {
                c.tooLongLine = recordLine; c.tooLongBytes = end - recordStart; return c
            }
            if recordHasQuote || nonBlank(recordStart, end) { c.records += 1 }
        }
        return c
    }
}
