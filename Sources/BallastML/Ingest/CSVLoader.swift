/// Reads CSV/TSV text into a `Dataset`.
///
/// Format: RFC 4180 quoting (quoted delimiters and newlines, `""` for a quote), LF, CRLF or bare CR
/// line endings, an optional UTF-8 byte-order mark, blanks around fields trimmed, blank lines skipped.
/// Text in UTF-8, Latin-1 or cp1252 (`CSVOptions.TextEncoding`); numbers with a decimal point or
/// comma (`CSVOptions.DecimalMark`). Bad lines (a wrong field count) are refused or skipped
/// (`CSVOptions.BadLinePolicy`). A label column with more than `maxClasses` values, or that looks
/// like a continuous measurement (20 or more distinct numbers, most fractional or most distinct per
/// row), is refused. The delimiter is detected
/// among `,` tab `;` `|` by counting occurrences outside quotes on the first records and picking the one
/// that appears the same, non-zero number of times on every record (most occurrences wins).
///
/// Header (`.auto`): by type consistency (`HeaderSniffer`): the first record is a header when it has
/// text above a numeric column. Without a header, features are named `x1…xN` and
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
/// Speed: the text (a mapped file) is cut into chunks at record boundaries (quote parity per chunk is found by
/// counting quotes in parallel), records are counted, the float32 matrix is allocated once, and chunks
/// are parsed on several threads straight into their rows. Results do not depend on the thread count.
public enum CSVLoader {
    /// Parses a whole file's bytes; `path` names the file in messages. The engine does no file
    /// I/O: the server maps the file (`CSVFile`) and hands its bytes here.
    public static func load(bytes: UnsafeRawBufferPointer, path: String,
                            options: CSVOptions) throws(DataError) -> LoadedTable {
        try validate(options, path: path)
        guard let raw = bytes.baseAddress, bytes.count > 0 else {
            throw DataError(kind: .empty, message: "\(path) is empty.", path: path)
        }
        let text = raw.assumingMemoryBound(to: UInt8.self)
        if let lineFeeds = LineEndings.copyWithLineFeeds(text, bytes.count) {
            defer { lineFeeds.deallocate() }
            return try Reader(base: UnsafePointer(lineFeeds), count: bytes.count, path: path, options: options).run()
        }
        return try Reader(base: text, count: bytes.count, path: path, options: options).run()
    }

    static func validate(_ options: CSVOptions, path: String) throws(DataError) {
        func bad(_ message: String) -> DataError { DataError(kind: .invalidOption, message: message, path: path) }
        if let d = options.delimiter {
            if d == CSVLexer.quote || d == CSVLexer.newline || d == CSVLexer.cr || d == CSVLexer.space || d >= 0x80 {
                throw bad("The delimiter must be a single ASCII character other than a quote, space or newline.")
            }
        }
        if case .index(let i) = options.label, i < 0 { throw bad("The label column index must be 0 or more.") }
        if options.maxCategoricalLevels < 0 { throw bad("The most text levels a column may have must be 0 or more.") }
        if options.maxClasses < 2 { throw bad("The most classes a label may have must be 2 or more.") }
        if options.decimal == .comma && options.delimiter == UInt8(ascii: ",") {
            throw bad("A decimal comma cannot be read in a file whose delimiter is a comma; use ';'.")
        }
        if options.maxLineBytes <= 0 { throw bad("The longest line accepted must be a positive number of bytes.") }
        if options.threads < 0 { throw bad("The parser thread count must be 0 (all cores) or more.") }
    }
}
