import BallastProtocol

/// Changes a few values inside correctly shaped params: wrong types, nulls, negative and huge
/// sizes, numbers outside Int64, unknown names, missing and unknown fields.
struct ParamMutator {
    /// Names the params may refer to: what the fuzzer's own messages create, plus names nobody made.
    static let names: [String] = ["toy", "toy.train", "toy.test", "toy.validation", "cards", "m", "m2", "fuzz",
                                  "no_such_thing", "", "x", String(repeating: "n", count: 129), ".hidden", "a/b"]
    /// Numbers that stress conversions and size checks.
    static let numbers: [JSONValue] = [0, -1, 1, 2, 3, 7, 100, -2_147_483_648, 2_147_483_648, 4_294_967_296,
                                       1_000_000_000_000, .int(Int64.max), .int(Int64.min), 0.5, -0.5, 1e300, -1e300,
                                       1e-300, 1e15, 9.0e18, 2e19]
    /// Number spellings JSONValue cannot hold, written raw.
    static let rawNumbers = ["9223372036854775808", "-9223372036854775809", "-1e19", "1e300", "1E400", "-0",
                             "18446744073709551616", "1.0e-400", "123456789012345678901234567890"]

    /// Paths the daemon may read or write: inside its own working folder only.
    static let paths = ["small.csv", "saved.json", "missing.csv", ".", "sub/x.json", "saved.json.tmp", ""]

    var raw = RawTokens()

    /// Applies one to three mutations to `params` (an object), keeping its root an object.
    mutating func mutate(_ params: JSONValue, using rng: inout SeededGenerator) -> JSONValue {
        var value = params
        for _ in 0..<Int.random(in: 1...3, using: &rng) {
            value = mutateSomewhere(value, depth: 0, using: &rng)
        }
        if case .object = value { return value }
        return params
    }

    private mutating func mutateSomewhere(_ value: JSONValue, depth: Int, using rng: inout SeededGenerator) -> JSONValue {
        switch value {
        case .object(var members) where !members.isEmpty && (depth == 0 || rng.chance(0.6)):
            let keys = members.keys.sorted()
            switch rng.weighted([8, 1, 1]) {
            case 0:
                let key = rng.pick(keys)
                members[key] = key == "path" ? .string(rng.pick(Self.paths)) : mutateSomewhere(members[key]!, depth: depth + 1, using: &rng)
            case 1: members.removeValue(forKey: rng.pick(keys))
            default: members[rng.pick(["unknown_field", "progress_token", "seed", "name", "rows", "dataset"])] = replacement(for: .null, using: &rng)
            }
            return .object(members)
        case .object(var members) where members.isEmpty:
            members[rng.pick(["name", "rows", "progress_token", "bogus"])] = replacement(for: .null, using: &rng)
            return .object(members)
        case .array(var elements) where !elements.isEmpty && rng.chance(0.6):
            switch rng.weighted([6, 1, 1]) {
            case 0:
                let index = Int.random(in: 0..<elements.count, using: &rng)
                elements[index] = mutateSomewhere(elements[index], depth: depth + 1, using: &rng)
            case 1: elements.remove(at: Int.random(in: 0..<elements.count, using: &rng))
            default: elements.append(contentsOf: Array(repeating: elements[0], count: Int.random(in: 1...50, using: &rng)))
            }
            return .array(elements)
        default:
            return replacement(for: value, using: &rng)
        }
    }

    /// Something else in the place of `value`: often the same kind with an odd value, else any kind.
    private mutating func replacement(for value: JSONValue, using rng: inout SeededGenerator) -> JSONValue {
        switch rng.weighted([4, 3, 2, 2, 1, 1, 1, 1]) {
        case 0: return rng.pick(Self.numbers)
        case 1: return raw.placeholder(rng.pick(Self.rawNumbers))
        case 2: return .string(rng.pick(Self.names + ["standard", "best_f1", "lbfgs", "mlp", "focal", "nope", "1"]))
        case 3: return rng.pick([.null, true, false, [], [:]] as [JSONValue])
        case 4: return .array((0..<Int.random(in: 1...4, using: &rng)).map { _ in rng.pick(Self.numbers) })
        case 5: return raw.placeholder([0x22, 0x61] + rng.pick([[0xFF], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0x80]]) + [0x22])
        case 6: return .string(String(repeating: "w", count: rng.pick([1_000, 70_000])))
        default:
            switch value {
            case .int(let i): return .int(i &* -1 &- 1)
            case .double(let d): return .double(-d * 1e10)
            case .string(let s): return .string(s + "_x")
            default: return [["nested": [[[1]]]]]
            }
        }
    }
}
