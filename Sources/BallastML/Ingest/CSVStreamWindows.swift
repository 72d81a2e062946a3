#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file's data read window by window, each window cut after the last record that ends in it.
///
/// The bytes after that cut (a partial record) are carried to the front of the next window, and
/// whether the cut point's carry is inside quotes is tracked from window to window, so a quoted
/// newline never ends a record. A record longer than the window grows the buffer (up to the
/// longest line accepted, past which the record is refused with its line). The engine does no
/// file I/O: bytes come from `read` (the server's `pread`).
///
/// - Important: a window returned by `next` is valid until the following call.
struct CSVWindows: ~Copyable {
    /// Fills the buffer from a file offset; returns how many bytes it read (0 at the end).
    typealias Read = (_ into: UnsafeMutableRawBufferPointer, _ at: Int) throws -> Int

    private let read: Read
    /// The end of the file as it was opened (a file that shrinks ends earlier).
    private var size: Int
    /// Next file offset to read.
    private var offset: Int
    private var buffer: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    /// Bytes in the buffer: the carry then what the last read added.
    private var filled = 0
    /// Where the current window ends in the buffer (its carry starts there).
    private var cut = 0
    /// Whether the bytes from `cut` to `filled` end inside a quoted field.
    private var carryInQuote = false
    private let maxLineBytes: Int
    private let windowBytes: Int
    /// Old Mac files: every bare CR becomes an LF as it is read (`LineEndings`).
    private let bareCR: Bool
    let path: String

    init(read: @escaping Read, from offset: Int, size: Int, windowBytes: Int, maxLineBytes: Int, bareCR: Bool, path: String) {
        self.read = read
        self.offset = offset
        self.size = size
        self.windowBytes = max(1, windowBytes)
        self.capacity = self.windowBytes
        self.buffer = .allocate(capacity: capacity)
        self.maxLineBytes = maxLineBytes
        self.bareCR = bareCR
        self.path = path
    }

    deinit { buffer.deallocate() }

    /// The next window of whole records, or nil at the end of the file. `line` is the 1-based line
    /// the window starts at (for the message when a record is too long).
    mutating func next(line: Int) throws -> UnsafeBufferPointer<UInt8>? {
        // Carry the partial record to the front.
        let carry = filled - cut
        if carry > 0 && cut > 0 { memmove(buffer, buffer + cut, carry) }
        filled = carry
        cut = 0
        var inQuote = carryInQuote
        if filled == 0 && offset >= size { return nil }
        // The carry has no record end outside quotes (it would have been cut there): scanning
        // picks up after it, in the quote state it ended in.
        var scanned = filled
        while true {
            if filled == capacity {
                // A record as long as the buffer: grow it, or refuse the record.
                if filled > maxLineBytes {
                    throw DataError(kind: .lineTooLong,
                                    message: "Line \(line) is longer than the limit of \(maxLineBytes) bytes.",
                                    path: path, line: line)
                }
                let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity * 2)
                grown.update(from: buffer, count: filled)
                buffer.deallocate()
                buffer = grown
                capacity *= 2
            }
            try fill()
            let atEnd = offset >= size
            var lastEnd = -1
            if inQuote || memchr(buffer + scanned, Int32(CSVLexer.quote), filled - scanned) != nil {
                for i in scanned..<filled {
                    let c = buffer[i]
                    if c == CSVLexer.quote { inQuote.toggle() } else if c == CSVLexer.newline && !inQuote { lastEnd = i }
                }
            } else {
                var i = filled - 1
                while i >= scanned && buffer[i] != CSVLexer.newline { i -= 1 }
                if i >= scanned { lastEnd = i }
            }
            scanned = filled
            if atEnd {
                cut = filled
                carryInQuote = false
                return filled > 0 ? UnsafeBufferPointer(start: buffer, count: filled) : nil
            }
            if lastEnd >= 0 {
                cut = lastEnd + 1
                // The cut is outside quotes, so the scan's end state is the carry's.
                carryInQuote = inQuote
                return UnsafeBufferPointer(start: buffer, count: cut)
            }
        }
    }

    /// Reads into the free part of the buffer until it is full or the file ends.
    private mutating func fill() throws {
        let limit = min(capacity - filled, size - offset)
        var got = 0
        while got < limit {
            let n = try read(UnsafeMutableRawBufferPointer(start: buffer + filled + got, count: limit - got), offset + got)
            if n == 0 { size = offset + got; break }   // it shrank since it was opened
            got += n
        }
        if bareCR { try convertBareCRs(from: filled, count: got) }
        filled += got
        offset += got
    }

    /// Bare CRs in the bytes just read become LFs; a CR that ends them looks at the file's next byte.
    private func convertBareCRs(from start: Int, count: Int) throws {
        let end = start + count
        for i in start..<end where buffer[i] == CSVLexer.cr {
            var next: UInt8 = 0
            if i + 1 < end {
                next = buffer[i + 1]
            } else if offset + count < size {
                var byte: UInt8 = 0
                let n = try withUnsafeMutableBytes(of: &byte) { try read($0, offset + count) }
                if n == 1 { next = byte }
            }
            if next != CSVLexer.newline { buffer[i] = CSVLexer.newline }
        }
    }
}
