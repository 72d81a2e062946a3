/// Old Mac files end lines with a bare CR. The parser splits records at LF (a CRLF's CR is
/// trimmed as a blank), so such a file is read from a copy in which every bare CR is an LF.
///
/// The check is cheap on ordinary files: it looks only at the bytes before the first LF. A CR
/// there, not part of a CRLF, means bare-CR line endings (or a file of one line).
enum LineEndings {
    /// A copy of the text with bare CRs made LFs (the caller deallocates it), or nil when the text
    /// does not use bare CRs.
    static func copyWithLineFeeds(_ text: UnsafePointer<UInt8>, _ count: Int) -> UnsafeMutablePointer<UInt8>? {
        let firstLF = CSVLexer.find(CSVLexer.newline, text, text + count) - text
        let firstCR = CSVLexer.find(CSVLexer.cr, text, text + firstLF) - text
        guard firstCR < firstLF, firstCR + 1 < count, text[firstCR + 1] != CSVLexer.newline else { return nil }
        let copy = UnsafeMutablePointer<UInt8>.allocate(capacity: count)
        for i in 0..<count {
            let c = text[i]
            copy[i] = c == CSVLexer.cr && (i + 1 == count || text[i + 1] != CSVLexer.newline) ? CSVLexer.newline : c
        }
        return copy
    }
}
