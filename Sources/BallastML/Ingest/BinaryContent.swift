#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whether the start of a file is text at all: the first thing checked, on the first
/// `sampleBytes` only, so that a large binary file is refused before the rest of it is read.
///
/// A file is binary when its sample holds a NUL byte (no text encoding this reads writes one), or
/// when more than one byte in `controlShare` is a control character other than tab, line feed,
/// vertical tab, form feed, carriage return and escape: text has a few of them at most, while
/// compressed or machine data has about one in ten.
public enum BinaryContent {
    /// 64 KiB.
    public static let sampleBytes = 64 << 10
    /// Control characters allowed: at most one byte in this many.
    static let controlShare = 20

    /// Why `sample` is not text, as the end of a sentence about the sample ("hold NUL bytes"), or nil when it is.
    public static func reason(_ sample: UnsafeRawBufferPointer) -> String? {
        guard let base = sample.baseAddress, sample.count > 0 else { return nil }
        if memchr(base, 0, sample.count) != nil { return "hold NUL bytes" }
        var controls = 0
        for byte in sample where byte < 0x20 || byte == 0x7F {
            switch byte {
            case 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1B: continue
            default: controls += 1
            }
        }
        return controls * controlShare > sample.count ? "hold many control characters (more than one byte in \(controlShare))" : nil
    }

    /// The sentence for a refused file; it names the file and the rule, never its bytes.
    public static func message(path: String, reason: String) -> String {
        "\(path) looks like a binary file, not text: its first \(sampleBytes >> 10) KiB \(reason)."
    }
}
