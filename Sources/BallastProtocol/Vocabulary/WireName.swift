/// A closed list of names a field of the protocol accepts (`"wce"`, `"pr_auc"`, …).
///
/// Every such list is an enum in this folder, and only here is a name spelled. The server
/// decodes a field into one of these enums (refusing an unknown name with the known ones and a
/// "did you mean"), `initialize` advertises every list in its capabilities, and clients read the
/// lists from there.
public protocol WireName: RawRepresentable, CaseIterable, Codable, Sendable, Hashable where RawValue == String {
    /// What a person calls one of these in an error message: "loss", "weight scheme".
    static var kind: String { get }
    /// The plural, for "(losses: ce, wce, focal)"; `kind` + "s" unless a list says otherwise.
    static var kinds: String { get }
}

extension WireName {
    public static var kinds: String { kind + "s" }

    /// Every name, in declaration order.
    public static var names: [String] { allCases.map(\.rawValue) }

    /// The case named `name`, or an error that lists the known names and names `field`.
    public static func parse(_ name: String, field: String) throws(RPCError) -> Self {
        if let value = Self(rawValue: name) { return value }
        // A short word is a poor guide: "lr" is two edits from "w" but no one meant it.
        let distance = name.count >= 5 ? 2 : 1
        let hint = Suggestion.closest(to: name, among: names, maxDistance: distance).map { " Did you mean '\($0)'?" } ?? ""
        throw RPCError(code: ErrorCode.invalidParams,
                       message: "There is no \(kind) named '\(name)' (\(kinds): \(names.joined(separator: ", "))).\(hint)",
                       data: ["field": .string(field), "known": .array(names.map { .string($0) })])
    }
}

extension WireName {
    /// Decodes a name, refusing an unknown one with the same error as `parse`, at its path in params.
    public init(from decoder: any Decoder) throws {
        let name = try decoder.singleValueContainer().decode(String.self)
        self = try Self.parse(name, field: CodingPath.dotted(decoder.codingPath))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
