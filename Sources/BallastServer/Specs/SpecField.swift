import BallastProtocol

/// A field that a stored config must have (a model file keeps every setting it trained with).
enum SpecField {
    static func required<Value>(_ value: Value?, _ field: String, for owner: String) throws(RPCError) -> Value {
        guard let value else { throw .invalidParams("The field '\(field)' is required for \(owner).", field: field) }
        return value
    }
}
