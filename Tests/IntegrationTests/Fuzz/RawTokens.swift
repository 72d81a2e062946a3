import BallastProtocol

/// Values JSONValue cannot hold (9223372036854775808 as written, `-1e19`, invalid UTF-8 inside a
/// string): a mutation puts a placeholder string in the value, and `render` writes the raw bytes
/// in its place after serialising.
struct RawTokens {
    private(set) var tokens: [[UInt8]] = []

    /// A placeholder standing for `bytes`, written into the JSON as they are.
    mutating func placeholder(_ bytes: [UInt8]) -> JSONValue {
        tokens.append(bytes)
        return .string(Self.marker(tokens.count - 1))
    }

    mutating func placeholder(_ text: String) -> JSONValue { placeholder(Array(text.utf8)) }

    private static func marker(_ index: Int) -> String { "~~raw\(index)~~" }

    /// `value` serialised with sorted keys, each placeholder (with its quotes) replaced by its bytes.
    func render(_ value: JSONValue) -> [UInt8] {
        var bytes = JSONWriter.data(value)
        for (index, token) in tokens.enumerated().reversed() {
            let quoted = Array("\"\(Self.marker(index))\"".utf8)
            while let range = bytes.firstRange(of: quoted) { bytes.replaceSubrange(range, with: token) }
        }
        return bytes
    }
}
