/// A closed list of names a field of the protocol accepts (`"wce"`, `"pr_auc"`, …).
///
/// Every such list is an enum in this folder, and only here is a name spelled. The server
/// decodes a field into one of these enums (refusing an unknown name with the known ones and a
/// "did you mean"), `initialize` advertises every list in its capabilities, and clients read the
/// lists from there.
public protocol WireName: RawRepresentable, CaseIterable, Codable, Sendable, Hashable where RawValue == String {
    /// What a person calls one of these in an error message: "loss", "weight scheme".
    static var kind: String { get }
}

extension WireName {
    /// Every name, in declaration order.
    public static var names: [String] { allCases.map(\.rawValue) }

    /// The case named `name`, or an error that lists the known names and names `field`.
    public static func parse(_ name: String, field: String) throws(RPCError) -> Self {
        if let value = Self(rawValue: name) { return value }
        let hint = Suggestion.closest(to: name, among: names).map { " Did you mean '\($0)'?" } ?? ""
        throw RPCError(code: ErrorCode.invalidParams,
                       message: "There is no \(kind) named '\(name)' (\(kind)s: \(names.joined(separator: ", "))).\(hint)",
                       data: ["field": .string(field), "known": .array(names.map { .string($0) })])
    }
}
