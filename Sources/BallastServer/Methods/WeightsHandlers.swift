import BallastML
import BallastProtocol
import Foundation

extension Handlers {
    /// `weights/compute`.
    func registerWeights(into table: inout MethodTable) {
        table.register(WeightsCompute.self) { params, _ in
            let dataset = try workspace.dataset(params.dataset)
            let scheme = try weightScheme(WeightSpec(scheme: params.scheme, beta: params.beta, w: params.w,
                                                     weights: params.weights, cost: params.cost))
            let weights = try ClassWeights.compute(scheme, classCounts: dataset.classCounts,
                                                   classLabels: dataset.classLabels, positiveClass: dataset.positiveClass)
            let classes = zip(dataset.classLabels, zip(dataset.classCounts, weights.weights)).map {
                WeightsCompute.ClassWeight(label: $0, count: $1.0, weight: $1.1)
            }
            return WeightsCompute.Result(scheme: scheme.name, normalization: weights.normalization, classes: classes,
                                         posWeight: weights.posWeight,
                                         sklearnClassWeight: Dictionary(uniqueKeysWithValues: classes.map { ($0.label, $0.weight) }))
        }
    }

    /// Reads the scheme and exactly the parameters it takes; a parameter for another scheme is an error.
    func weightScheme(_ params: WeightSpec) throws -> WeightScheme {
        let name = params.scheme ?? "inverse"
        let given: [(String, Bool)] = [("beta", params.beta != nil), ("w", params.w != nil),
                                       ("weights", params.weights != nil), ("cost", params.cost != nil)]
        let takes: [String: String] = ["effective_number": "beta", "binary": "w", "custom": "weights", "cost": "cost"]
        guard WeightScheme.names.contains(name) else {
            throw RPCError(code: ErrorCode.invalidParams,
                           message: "There is no weight scheme named '\(name)' (schemes: \(WeightScheme.names.joined(separator: ", "))).",
                           data: ["field": "scheme", "known": .array(WeightScheme.names.map { .string($0) })])
        }
        for (field, present) in given where present && takes[name] != field {
            throw RPCError.invalidParams("The field '\(field)' does not apply to the scheme '\(name)'.", field: field)
        }
        func required<T>(_ value: T?, _ field: String) throws -> T {
            guard let value else { throw RPCError.invalidParams("The scheme '\(name)' needs the field '\(field)'.", field: field) }
            return value
        }
        switch name {
        case "inverse": return .inverse
        case "balanced": return .balanced
        case "inverse_sqrt": return .inverseSqrt
        case "effective_number": return .effectiveNumber(beta: params.beta ?? 0.999)
        case "binary": return .binary(w: try required(params.w, "w"))
        case "custom": return .custom(try required(params.weights, "weights"))
        default: return .cost(try required(params.cost, "cost"))
        }
    }
}
