/// Breaks a serialised request at the byte level: flips, truncation, insertions, deep nesting,
/// odd ids, invalid UTF-8, duplicate keys, batches and values that are not requests at all.
enum PayloadMutator {
    static let oddIDs = ["1e300", "9223372036854775808", "-1e19", "-9223372036854775809", "1.5", "null", "true",
                         "[]", "{}", "\"\"", "18446744073709551615", "-0", "0.0"]

    static func mutate(_ payload: [UInt8], using rng: inout SeededGenerator) -> [UInt8] {
        var bytes = payload
        switch rng.weighted([6, 3, 3, 2, 3, 2, 2, 1, 1, 1]) {
        case 0: // a few bytes replaced
            for _ in 0..<Int.random(in: 1...4, using: &rng) where !bytes.isEmpty {
                bytes[Int.random(in: 0..<bytes.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
            }
        case 1: // truncated
            bytes = Array(bytes.prefix(Int.random(in: 0..<max(1, bytes.count), using: &rng)))
        case 2: // bytes inserted
            let at = Int.random(in: 0...bytes.count, using: &rng)
            bytes.insert(contentsOf: rng.pick([Array("{".utf8), Array("]".utf8), Array(",".utf8), Array("\"".utf8),
                                              Array("\\u".utf8), [0], [0xFF], [0xC3], Array("1e99999".utf8)]), at: at)
        case 3: // nested deep inside params
            let depth = rng.pick([10, 255, 256, 257, 1_000, 100_000])
            let nest = Array(repeating: UInt8(ascii: "["), count: depth) + Array(repeating: UInt8(ascii: "]"), count: depth)
            bytes = replacingParams(bytes, with: Array(#"{"deep":"#.utf8) + nest + Array("}".utf8))
        case 4: // an id that is not an Int64
            bytes = Array(#"{"jsonrpc":"2.0","id":\#(rng.pick(oddIDs)),"method":"ping","params":"#.utf8)
                + Array(rng.pick([#"{}"#, #"{"n":1e300}"#, #"{"verbose":9223372036854775808}"#]).utf8) + Array("}".utf8)
        case 5: // invalid UTF-8 inside a string
            if let quote = bytes.firstIndex(of: UInt8(ascii: "\"")) {
                bytes.insert(contentsOf: rng.pick([[0xFF, 0xFE], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82]]), at: quote + 1)
            }
        case 6: // a duplicate key at the top
            let duplicate = rng.pick([#""id":1,"#, #""id":"m-dup","#, #""method":"dataset/list","#, #""params":[],"#,
                                      #""jsonrpc":"1.0","#, #""id":1e300,"#])
            if bytes.first == UInt8(ascii: "{") { bytes.insert(contentsOf: Array(duplicate.utf8), at: 1) }
        case 7: // a batch, or a byte order mark
            bytes = rng.chance(0.5) ? Array("[".utf8) + bytes + Array(",".utf8) + bytes + Array("]".utf8) : [0xEF, 0xBB, 0xBF] + bytes
        case 8: // not a request at all
            bytes = Array(rng.pick(["", "null", "1", "\"ping\"", "[]", "{}", #"{"jsonrpc":"2.0"}"#, #"{"jsonrpc":"2.0","method":5}"#,
                                    #"{"jsonrpc":"2.0","id":{},"method":"ping"}"#, #"{"jsonrpc":"2.0","result":1,"id":3}"#,
                                    #"{"jsonrpc":"2.0","id":4,"method":"ping","params":[1]}"#, "NaN", "{\"a\":-}",
                                    String(repeating: " ", count: 1_000)]).utf8)
        default: // random bytes
            bytes = rng.bytes(Int.random(in: 0...256, using: &rng))
        }
        return bytes
    }

    /// `bytes` with the value of `"params":` swapped for `params`, or with params appended when absent.
    private static func replacingParams(_ bytes: [UInt8], with params: [UInt8]) -> [UInt8] {
        let key = Array(#""params":"#.utf8)
        guard let range = bytes.firstRange(of: key), bytes.last == UInt8(ascii: "}") else {
            return Array(#"{"jsonrpc":"2.0","id":"m-deep","method":"ping","params":"#.utf8) + params + Array("}".utf8)
        }
        // Keys are sorted, so params is the last member: cut after its key and close the object.
        return Array(bytes[..<range.upperBound]) + params + Array("}".utf8)
    }
}
