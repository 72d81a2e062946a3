/// A model an earlier daemon kept that is not in memory now, as `model/list` reports it (under
/// `unavailable`): why it did not come back. It stays listed, and kept in the store for a later
/// start, until a model of that name is stored again or `model/drop` forgets it.
public struct ModelUnavailable: Codable, Sendable, Equatable {
    public var name: String
    public var reason: ModelUnavailableName
    /// A sentence for a person: what happened.
    public var message: String

    public init(name: String, reason: ModelUnavailableName, message: String) {
        self.name = name
        self.reason = reason
        self.message = message
    }
}

/// Why a kept model did not come back at a start.
public enum ModelUnavailableName: String, Codable, Sendable, CaseIterable {
    /// What the store holds for it no longer decodes as a model file.
    case damaged
    /// It no longer fits in the memory budget (`--memory-budget`) beside what came back before it.
    case overBudget = "over_budget"
}
