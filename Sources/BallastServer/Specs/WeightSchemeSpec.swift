import BallastML
import BallastProtocol

extension WeightScheme {
    /// The scheme a request names, with exactly the parameters it takes: a parameter of another
    /// scheme is refused, a missing one too. `at` is where the weight fields sit in params:
    /// `""` for `weights/compute`, `"loss.weights."` inside a training request.
    init(_ spec: WeightSpec, at prefix: String = "") throws(RPCError) {
        let name = spec.scheme ?? .inverse
        let given: [(field: String, present: Bool, scheme: WeightSchemeName)] = [
            ("beta", spec.beta != nil, .effectiveNumber), ("w", spec.w != nil, .binary),
            ("weights", spec.weights != nil, .custom), ("cost", spec.cost != nil, .cost),
        ]
        for parameter in given where parameter.present && parameter.scheme != name {
            throw .invalidParams("The field '\(prefix)\(parameter.field)' does not apply to the scheme '\(name.rawValue)'.",
                                 field: prefix + parameter.field)
        }
        func required<T>(_ value: T?, _ field: String) throws(RPCError) -> T {
            guard let value else {
                throw .invalidParams("The scheme '\(name.rawValue)' needs the field '\(prefix)\(field)'.", field: prefix + field)
            }
            return value
        }
        switch name {
        case .inverse: self = .inverse
        case .balanced: self = .balanced
        case .inverseSqrt: self = .inverseSqrt
        case .effectiveNumber: self = .effectiveNumber(beta: spec.beta ?? 0.999)
        case .binary: self = .binary(w: try required(spec.w, "w"))
        case .custom: self = .custom(try required(spec.weights, "weights"))
        case .cost: self = .cost(try required(spec.cost, "cost"))
        }
    }
}

extension WeightSchemeName {
    init(_ scheme: WeightScheme) {
        switch scheme {
        case .inverse: self = .inverse
        case .balanced: self = .balanced
        case .inverseSqrt: self = .inverseSqrt
        case .effectiveNumber: self = .effectiveNumber
        case .binary: self = .binary
        case .custom: self = .custom
        case .cost: self = .cost
        }
    }
}
