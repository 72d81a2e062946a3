/// What an error message about a file may quote of the file's own text.
///
/// `dataset/load` reads any file the daemon's user can read, so an error must not become a way
/// to read files that are not data (`/etc/passwd`, a private key, a token): their first line
/// would otherwise come back as "the header has: …" or "holds '…'".
///
/// The rule: messages always name the line, the column number and the file; they quote the
/// file's text (a header name, a cell, a label) only once the file is recognised as data, and
/// then at most `longest` characters of each value, cut with "…". A file is recognised as data
/// when its first record has at least two fields and a later record of the sample has as many
/// fields and holds a number. Before that, or for a file that never gets there, a message says
/// "column 3" and leaves `data.field` out.
struct CSVQuoting: Sendable {
    /// Longest value quoted, in characters (the last one "…" when cut).
    static let longest = 32

    /// Whether the file has been recognised as data, so its short values may be quoted.
    let recognised: Bool

    /// Judges the first records of a file, split into fields.
    init(sample records: [[[UInt8]]], decimalComma: Bool) {
        guard let first = records.first, first.count >= 2 else { recognised = false; return }
        recognised = records.dropFirst().contains { record in
            record.count == first.count && record.contains { cell in
                if case .number = CSVLexer.classify(cell, decimalComma: decimalComma) { return true }
                return false
            }
        }
    }

    init(recognised: Bool) { self.recognised = recognised }

    /// `value` cut to `longest` characters, or nil when the file's text may not be quoted.
    func quote(_ value: String) -> String? {
        recognised ? Self.clip(value) : nil
    }

    static func clip(_ value: String) -> String {
        value.count <= longest ? value : value.prefix(longest - 1) + "…"
    }

    /// "column 3 ('amount')", or "column 3" when names may not be quoted (`column` is 0-based).
    func describe(_ column: Int, names: [String]?) -> String {
        guard let names, column < names.count, let name = quote(names[column]) else { return "column \(column + 1)" }
        return "column \(column + 1) ('\(name)')"
    }

    /// "the header has: a, b, c" (each name cut, at most 20), or how many columns it has.
    func header(_ names: [String]) -> String {
        guard recognised else {
            return "the header has \(names.count) column\(names.count == 1 ? "" : "s") (not shown: the file does not look like CSV data)"
        }
        return "the header has: " + names.prefix(20).map(Self.clip).joined(separator: ", ") + (names.count > 20 ? ", …" : "")
    }
}
