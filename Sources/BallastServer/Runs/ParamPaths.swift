import BallastProtocol

/// Dotted paths into a request's params as sent (`loss.type`, `optimizer.lr`, `grid.0`): the
/// columns `run/compare` shows beside the metrics.
enum ParamPaths {
    /// The dotted paths to every value of the params that is not an object (arrays are values).
    static func all(_ json: JSONValue, prefix: String = "") -> [String] {
        guard case .object(let members) = json else { return prefix.isEmpty ? [] : [prefix] }
        if members.isEmpty && !prefix.isEmpty { return [prefix] }
        return members.keys.sorted().flatMap { all(members[$0]!, prefix: prefix.isEmpty ? $0 : prefix + "." + $0) }
    }

    /// The paths whose values differ between the params (a missing path counts as null);
    /// every path, for one run.
    static func differing(_ params: [JSONValue]) -> [String] {
        let paths = Set(params.flatMap { all($0) }).sorted()
        guard params.count > 1 else { return paths }
        return paths.filter { path in
            let values = params.map { value(at: path, in: $0) ?? .null }
            return values.contains { $0 != values[0] }
        }
    }

    /// The value at a dotted path (`optimizer.lr`); a number segment indexes an array (`grid.0`).
    static func value(at path: String, in json: JSONValue) -> JSONValue? {
        var current = json
        for segment in path.split(separator: ".", omittingEmptySubsequences: false) {
            switch current {
            case .object(let members):
                guard let next = members[String(segment)] else { return nil }
                current = next
            case .array(let items):
                guard let index = Int(segment), items.indices.contains(index) else { return nil }
                current = items[index]
            default:
                return nil
            }
        }
        return current
    }
}
