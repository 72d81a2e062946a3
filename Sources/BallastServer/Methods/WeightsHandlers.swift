import BallastML
import BallastProtocol
import Foundation

extension Handlers {
    /// `weights/compute`.
    func registerWeights(into table: inout MethodTable) {
        table.register(WeightsCompute.self) { params, _ in
            let dataset = try workspace.dataset(params.dataset)
            let scheme = try WeightScheme(WeightSpec(scheme: params.scheme, beta: params.beta, w: params.w,
                                                     weights: params.weights, cost: params.cost))
            let weights = try ClassWeights.compute(scheme, classCounts: dataset.classCounts,
                                                   classLabels: dataset.classLabels, positiveClass: dataset.positiveClass)
            let classes = zip(dataset.classLabels, zip(dataset.classCounts, weights.weights)).map {
                WeightsCompute.ClassWeight(label: $0, count: $1.0, weight: $1.1)
            }
            return WeightsCompute.Result(scheme: WeightSchemeName(scheme), normalization: WeightNormalizationName(weights.normalization),
                                         classes: classes, posWeight: weights.posWeight,
                                         sklearnClassWeight: Dictionary(uniqueKeysWithValues: classes.map { ($0.label, $0.weight) }))
        }
    }
}
