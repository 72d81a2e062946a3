import BallastProtocol

/// How the kill loop compares what a daemon kept with the reply its client got: metrics kept flat
/// by dotted name against the reply's nested ones, JSON at the paths both have, and seqs told short.
enum ReplyComparison {
    /// The stored metrics (flat, dotted) that the reply gives another value, and a complaint when
    /// none of them is in the reply at all (the metrics were not kept).
    static func metricDifferences(stored: [String: Double], reply: JSONValue) -> [String] {
        var flat: [String: Double] = [:]
        flatten(reply, path: "", into: &flat)
        // `metrics.train.f1` is kept as `train.f1`, `rows.<arm>.f1` as `<arm>.f1`.
        for (path, value) in flat {
            if let dot = path.firstIndex(of: "."), flat[String(path[path.index(after: dot)...])] == nil {
                flat[String(path[path.index(after: dot)...])] = value
            }
        }
        var differences: [String] = []
        var matched = 0
        for (name, value) in stored.sorted(by: { $0.key < $1.key }) {
            guard let replied = flat[name] else { continue }
            matched += 1
            if replied != value && !(replied.isNaN && value.isNaN) { differences.append("\(name) \(value) ≠ \(replied)") }
        }
        if matched == 0 { differences.append("none of its \(stored.count) metrics \(stored.keys.sorted()) is in the reply") }
        return differences
    }

    /// Numbers by dotted path; an array of rows that name an `arm` is keyed by arm.
    private static func flatten(_ value: JSONValue, path: String, into flat: inout [String: Double]) {
        func join(_ key: String) -> String { path.isEmpty ? key : path + "." + key }
        switch value {
        case .int, .double: if let number = value.doubleValue { flat[path] = number }
        case .object(let members): for (key, member) in members { flatten(member, path: join(key), into: &flat) }
        case .array(let items):
            for item in items { if let arm = item["arm"]?.stringValue { flatten(item, path: join(arm), into: &flat) } }
        default: break
        }
    }

    /// Where `kept` (run/describe's result) says otherwise than the reply, at paths both have.
    static func jsonDifferences(kept: JSONValue, reply: JSONValue, path: String) -> [String] {
        switch (kept, reply) {
        case let (.object(a), .object(b)):
            return a.keys.sorted().flatMap { key in
                b[key].map { jsonDifferences(kept: a[key]!, reply: $0, path: path.isEmpty ? key : path + "." + key) } ?? []
            }
        case let (.array(a), .array(b)) where a.count == b.count:
            return zip(a, b).enumerated().flatMap { jsonDifferences(kept: $1.0, reply: $1.1, path: "\(path)[\($0)]") }
        default:
            return kept == reply ? [] : ["\(path): \(JSONWriter.string(kept)) ≠ \(JSONWriter.string(reply))"]
        }
    }

    /// `1…5, 7, 9…10`: a list of seqs, short.
    static func ranges(_ seqs: [Int]) -> String {
        var parts: [String] = []
        var start: Int?
        var previous: Int?
        for seq in seqs + [Int.min] {
            if let p = previous, seq == p + 1 { previous = seq; continue }
            if let s = start, let p = previous { parts.append(s == p ? "\(s)" : "\(s)…\(p)") }
            start = seq
            previous = seq
        }
        return parts.isEmpty ? "none" : parts.joined(separator: ", ")
    }
}
