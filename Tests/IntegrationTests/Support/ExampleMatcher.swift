import BallastProtocol

/// Compares a received message with a golden example's expectation (protocol/README.md,
/// section 9): `$`-matchers for values that vary, exact members, numbers within 1e-9 relative.
enum ExampleMatcher {
    static let matchers: Set = ["$any", "$string", "$number", "$integer", "$boolean", "$array", "$object", "$null"]

    /// Returns nil when `actual` matches, else the path and reason of the first mismatch.
    static func mismatch(expected: JSONValue, actual: JSONValue, path: String = "$") -> String? {
        if case .string(let pattern) = expected, matchers.contains(pattern) {
            let ok: Bool = switch (pattern, actual) {
            case ("$any", _): true
            case ("$string", .string), ("$boolean", .bool), ("$array", .array), ("$object", .object), ("$null", .null): true
            case ("$number", .int), ("$number", .double), ("$integer", .int): true
            default: false
            }
            return ok ? nil : "\(path): expected \(pattern), found \(JSONWriter.string(actual))"
        }
        switch (expected, actual) {
        case let (.object(e), .object(a)):
            if Set(e.keys) != Set(a.keys) {
                return "\(path): members \(a.keys.sorted()) instead of \(e.keys.sorted())"
            }
            for key in e.keys.sorted() {
                if let problem = mismatch(expected: e[key]!, actual: a[key]!, path: path + "." + key) { return problem }
            }
            return nil
        case let (.array(e), .array(a)):
            guard e.count == a.count else { return "\(path): \(a.count) elements instead of \(e.count)" }
            for (index, pair) in zip(e, a).enumerated() {
                if let problem = mismatch(expected: pair.0, actual: pair.1, path: "\(path)[\(index)]") { return problem }
            }
            return nil
        case (.int, .int), (.int, .double), (.double, .int), (.double, .double):
            let e = expected.doubleValue!, a = actual.doubleValue!
            return abs(e - a) <= 1e-9 * max(abs(e), abs(a)) ? nil : "\(path): expected \(e), found \(a)"
        default:
            return expected == actual ? nil : "\(path): expected \(JSONWriter.string(expected)), found \(JSONWriter.string(actual))"
        }
    }
}
