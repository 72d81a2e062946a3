import BallastProtocol
import Foundation

/// Checks a value against a file of protocol/schema with the JSON Schema keywords the protocol's
/// schemas use, `$ref`s into other files included (`vocabulary.json#/$defs/objective`,
/// `model.train.result.json#/$defs/report`). A keyword it does not know is reported, so a schema
/// that grows past the checker fails loudly instead of passing unchecked.
struct SchemaChecker {
    private var files: [String: JSONValue] = [:]
    private let name: String

    /// `name` as in protocol/schema: "experiment.tune.result".
    init(_ name: String) throws {
        self.name = name + ".json"
        try load(self.name)
    }

    private mutating func load(_ file: String) throws {
        guard files[file] == nil else { return }
        let url = BuiltProducts.repositoryRoot.appendingPathComponent("protocol/schema/\(file)")
        let root = try JSONParser.parse(Data(contentsOf: url))
        files[file] = root
        // Every file a $ref names, loaded up front so checking needs no I/O.
        for reference in Self.references(in: root) {
            if let other = reference.split(separator: "#").first, !reference.hasPrefix("#") { try load(String(other)) }
        }
    }

    private static func references(in value: JSONValue) -> [String] {
        switch value {
        case .object(let members):
            return members.flatMap { key, member in key == "$ref" ? [member.stringValue ?? ""] : references(in: member) }
        case .array(let items): return items.flatMap(references)
        default: return []
        }
    }

    static let annotations: Set<String> = ["$schema", "$id", "title", "description", "$defs", "examples", "$comment", "default"]

    /// Every way `value` breaks the schema, each with its JSON path; empty when it conforms.
    func problems(_ value: JSONValue) -> [String] {
        var found: [String] = []
        check(value, against: files[name]!, file: name, at: "$", into: &found)
        return found
    }

    private func resolve(_ reference: String, from file: String) -> (JSONValue, String)? {
        let parts = reference.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let target = parts[0].isEmpty ? file : parts[0]
        guard let root = files[target] else { return nil }
        let pointer = parts.count > 1 ? parts[1] : ""
        let node = pointer.split(separator: "/").reduce(Optional(root)) { node, key in node?[String(key)] }
        return node.map { ($0, target) }
    }

    private func check(_ value: JSONValue, against schema: JSONValue, file: String, at path: String, into found: inout [String]) {
        guard let rules = schema.objectValue else {
            if schema == .bool(false) { found.append("\(path): nothing is allowed here") }
            return
        }
        for (keyword, rule) in rules.sorted(by: { $0.key < $1.key }) {
            switch keyword {
            case _ where Self.annotations.contains(keyword): continue
            case "$ref":
                guard let (target, targetFile) = rule.stringValue.flatMap({ resolve($0, from: file) }) else {
                    found.append("\(path): unresolved $ref \(rule)")
                    continue
                }
                check(value, against: target, file: targetFile, at: path, into: &found)
            case "anyOf", "oneOf":
                let branches = rule.arrayValue ?? []
                let passing = branches.filter { branch in
                    var inner: [String] = []
                    check(value, against: branch, file: file, at: path, into: &inner)
                    return inner.isEmpty
                }.count
                if passing == 0 || (keyword == "oneOf" && passing > 1) {
                    found.append("\(path): \(JSONWriter.string(value).prefix(80)) matches \(passing) of the \(keyword) branches")
                }
            case "type":
                let allowed = rule.arrayValue?.compactMap(\.stringValue) ?? [rule.stringValue ?? ""]
                if !allowed.contains(where: { Self.matches(value, type: $0) }) {
                    found.append("\(path): \(JSONWriter.string(value).prefix(80)) is not of type \(allowed.joined(separator: "|"))")
                }
            case "enum":
                if !(rule.arrayValue ?? []).contains(value) { found.append("\(path): \(JSONWriter.string(value)) is not one of \(JSONWriter.string(rule))") }
            case "const":
                if value != rule { found.append("\(path): \(JSONWriter.string(value)) is not \(JSONWriter.string(rule))") }
            case "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum":
                guard let number = Self.number(value), let bound = Self.number(rule) else { continue }
                let broken = switch keyword {
                case "minimum": number < bound
                case "maximum": number > bound
                case "exclusiveMinimum": number <= bound
                default: number >= bound
                }
                if broken { found.append("\(path): \(number) breaks \(keyword) \(bound)") }
            case "minItems", "maxItems":
                guard let items = value.arrayValue, let bound = rule.intValue else { continue }
                if keyword == "minItems" ? items.count < bound : items.count > bound {
                    found.append("\(path): \(items.count) items breaks \(keyword) \(bound)")
                }
            case "minLength":
                if let text = value.stringValue, let bound = rule.intValue, text.count < bound { found.append("\(path): shorter than \(bound)") }
            case "required":
                guard let object = value.objectValue else { continue }
                for key in (rule.arrayValue ?? []).compactMap(\.stringValue) where object[key] == nil {
                    found.append("\(path): required member '\(key)' is missing")
                }
            case "properties":
                guard let object = value.objectValue else { continue }
                for (key, member) in object.sorted(by: { $0.key < $1.key }) {
                    if let sub = rule[key] { check(member, against: sub, file: file, at: "\(path).\(key)", into: &found) }
                }
            case "additionalProperties":
                guard let object = value.objectValue else { continue }
                let declared = Set(rules["properties"]?.objectValue?.keys.map { $0 } ?? [])
                for (key, member) in object.sorted(by: { $0.key < $1.key }) where !declared.contains(key) {
                    check(member, against: rule, file: file, at: "\(path).\(key)", into: &found)
                }
            case "items":
                guard let items = value.arrayValue else { continue }
                for (index, item) in items.enumerated() { check(item, against: rule, file: file, at: "\(path)[\(index)]", into: &found) }
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
