/// A request that cannot be carried out because one of its inputs is wrong.
///
/// `field` names the offending input in the engine's terms (`InputField`); the server maps it to
/// the field the client sent. `message` is a whole sentence a person can act on, naming the input
/// in words, e.g. "The label noise must be at least 0 and below 0.5, got 0.7."
public struct InvalidArgument: Error, Sendable, Equatable, CustomStringConvertible {
    public var field: InputField
    public var message: String

    public init(field: InputField, message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { "\(field): \(message)" }
}
