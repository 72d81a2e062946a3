/// A request that cannot be carried out because one of its inputs is wrong.
///
/// `field` names the offending input as the caller spelled it (`"rows"`, `"classProportions"`,
/// `"ratio"`, `"beta"` …) so a JSON-RPC error can point at it; `message` is a whole sentence a
/// person can act on, e.g. "labelNoise must be at least 0 and below 0.5, got 0.7."
public struct InvalidArgument: Error, Sendable, Equatable, CustomStringConvertible {
    public var field: String
    public var message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { "\(field): \(message)" }
}
