/// Turning a text cell's bytes into a `String` in the file's encoding. The parser works on bytes
/// throughout (every encoding it reads is ASCII-compatible), so only the few strings that are kept
/// (header names, labels, text levels) are decoded, once each.
enum TextDecoding: Sendable, Equatable {
    case utf8, latin1, cp1252

    var name: String {
        switch self {
        case .utf8: "UTF-8"
        case .latin1: "Latin-1"
        case .cp1252: "cp1252"
        }
    }

    func decode<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        switch self {
        case .utf8:
            return String(decoding: bytes, as: UTF8.self)
        case .latin1:
            var scalars = String.UnicodeScalarView()
            for b in bytes { scalars.append(Unicode.Scalar(b)) }
            return String(scalars)
        case .cp1252:
            var scalars = String.UnicodeScalarView()
            for b in bytes {
                if b >= 0x80 && b < 0xA0, let s = Unicode.Scalar(Self.cp1252High[Int(b - 0x80)]) {
                    scalars.append(s)
                } else {
                    scalars.append(Unicode.Scalar(b))
                }
            }
            return String(scalars)
        }
    }

    static func isValidUTF8<C: Collection>(_ bytes: C) -> Bool where C.Element == UInt8 {
        if !bytes.contains(where: { $0 >= 0x80 }) { return true }
        var decoder = UTF8()
        var iterator = bytes.makeIterator()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue: continue
            case .emptyInput: return true
            case .error: return false
            }
        }
    }

    /// cp1252's 0x80…0x9F. The five bytes cp1252 leaves undefined map to the C1 control of the
    /// same number, as the WHATWG encoding standard does.
    private static let cp1252High: [UInt32] = [
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
        0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D, 0x017D, 0x8F,
        0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
    ]
}
