import BallastProtocol
import Foundation

/// Checks a `repl/*` reply against protocol/schema/repl.*.json with the JSON Schema keywords
/// those files use (`type`, `required`, `properties`, `additionalProperties`, `items`, `enum`,
/// `minimum`, `maximum`, `$ref` into `$defs`); any other keyword that constrains is reported as
/// unknown, so a schema that grows past this checker fails loudly instead of passing unchecked.
struct ReplBridgeSchema {
    let root: JSONValue

    /// `name` as in protocol/schema: "repl.execute.result", "repl.complete.result", …
    init(_ name: String) throws {
        let file = BuiltProducts.repositoryRoot.appendingPathComponent("protocol/schema/\(name).json")
        root = try JSONParser.parse(Data(contentsOf: file))
    }

    static let annotations: Set<String> = ["$schema", "$id", "title", "description", "$defs", "examples", "$comment", "default"]

    /// Every way `value` breaks the schema, each with its JSON path; empty when it conforms.
    func problems(_ value: JSONValue) -> [String] {
        var found: [String] = []
        check(value, against: root, at: "$", into: &found)
        return found
    }

    private func resolve(_ reference: String) -> JSONValue? {
        guard reference.hasPrefix("#/") else { return nil }
        return reference.dropFirst(2).split(separator: "/").reduce(Optional(root)) { node, key in node?[String(key)] }
    }

    private func check(_ value: JSONValue, against schema: JSONValue, at path: String, into found: inout [String]) {
        guard let rules = schema.objectValue else {
            if schema == .bool(false) { found.append("\(path): nothing is allowed here") }
            return
        }
        for (keyword, rule) in rules.sorted(by: { $0.key < $1.key }) {
            switch keyword {
            case _ where Self.annotations.contains(keyword): continue
            case "$ref":
                guard let target = rule.stringValue.flatMap(resolve) else { found.append("\(path): unresolved $ref \(rule)"); continue }
                check(value, against: target, at: path, into: &found)
            case "type":
                let allowed = rule.arrayValue?.compactMap(\.stringValue) ?? [rule.stringValue ?? ""]
                if !allowed.contains(where: { Self.matches(value, type: $0) }) {
                    found.append("\(path): \(JSONWriter.string(value).prefix(80)) is not of type \(allowed.joined(separator: "|"))")
                }
            case "enum":
                if !(rule.arrayValue ?? []).contains(value) { found.append("\(path): \(JSONWriter.string(value)) is not one of \(JSONWriter.string(rule))") }
            case "minimum":
                if let number = Self.number(value), let bound = Self.number(rule), number < bound { found.append("\(path): \(number) < \(bound)") }
            case "maximum":
                if let number = Self.number(value), let bound = Self.number(rule), number > bound { found.append("\(path): \(number) > \(bound)") }
            case "required":
                guard let object = value.objectValue else { continue }
                for key in (rule.arrayValue ?? []).compactMap(\.stringValue) where object[key] == nil {
                    found.append("\(path): required member '\(key)' is missing")
                }
            case "properties":
                guard let object = value.objectValue else { continue }
                for (key, member) in object.sorted(by: { $0.key < $1.key }) {
                    if let sub = rule[key] { check(member, against: sub, at: "\(path).\(key)", into: &found) }
                }
            case "additionalProperties":
                guard let object = value.objectValue else { continue }
                let declared = Set(rules["properties"]?.objectValue?.keys.map { $0 } ?? [])
                for (key, member) in object.sorted(by: { $0.key < $1.key }) where !declared.contains(key) {
                    check(member, against: rule, at: "\(path).\(key)", into: &found)
                }
            case "items":
                guard let items = value.arrayValue else { continue }
                for (index, item) in items.enumerated() { check(item, against: rule, at: "\(path)[\(index)]", into: &found) }
            default:
                found.append("\(path): the schema uses '\(keyword)', which this checker does not know")
            }
        }
    }

    private static func number(_ value: JSONValue) -> Double? {
        switch value {
        case .int(let i): Double(i)
        case .double(let d): d
        default: nil
        }
    }

    private static func matches(_ value: JSONValue, type: String) -> Bool {
        switch (type, value) {
        case ("null", .null), ("boolean", .bool), ("string", .string), ("array", .array), ("object", .object): true
        case ("integer", .int), ("number", .int), ("number", .double): true
        case ("integer", .double(let d)): d.rounded() == d
        default: false
        }
    }
}
