import BallastML
import BallastProtocol
import Foundation

extension Handlers {
    /// `dataset/generate`, `dataset/list`, `dataset/describe`, `dataset/drop`.
    func registerDatasets(into table: inout MethodTable) {
        table.register(DatasetGenerate.self) { params, _ in
            let spec = try syntheticSpec(params)
            let dataset = try SyntheticData.generate(spec)
            let name = params.name ?? params.preset ?? "synthetic"
            let replaced = try workspace.store(name, .init(dataset: dataset, origin: "generated",
                                                           missingPerFeature: Array(repeating: 0, count: dataset.featureCount)))
            return DatasetSummary(name: name, dataset: dataset, replaced: replaced)
        }
        table.register(DatasetList.self) { _, _ in
            let summaries = workspace.datasetNames.compactMap { name in
                (try? workspace.dataset(name)).map { DatasetSummary(name: name, dataset: $0) }
            }
            return DatasetList.Result(datasets: summaries, bytesUsed: workspace.bytesUsed, memoryBudget: workspace.memoryBudget)
        }
        table.register(DatasetDescribe.self) { params, _ in
            let entry = try workspace.entry(params.dataset)
            let stats = entry.dataset.featureStatistics(missing: entry.missingPerFeature).map {
                DatasetDescribe.FeatureStats(name: $0.name, mean: $0.mean, std: $0.std, min: $0.min, max: $0.max, missing: $0.missing)
            }
            return DatasetDescribe.Result(dataset: DatasetSummary(name: params.dataset, dataset: entry.dataset),
                                          featureStats: stats, origin: entry.origin)
        }
        table.register(DatasetDrop.self) { params, _ in
            DatasetDrop.Result(dropped: params.dataset, bytesFreed: try workspace.drop(params.dataset))
        }
    }

    /// The generator's spec: a preset (or a small default) with explicit fields laid over it.
    private func syntheticSpec(_ params: DatasetGenerate.Params) throws -> SyntheticSpec {
        let seed = params.seed ?? 0
        var spec: SyntheticSpec
        if let preset = params.preset {
            guard let named = SyntheticSpec.preset(named: preset, seed: seed) else {
                throw RPCError(code: ErrorCode.invalidParams,
                               message: "There is no preset named '\(preset)' (presets: \(SyntheticSpec.presets.joined(separator: ", "))).",
                               data: ["field": "preset", "known": .array(SyntheticSpec.presets.map { .string($0) })])
            }
            spec = named
        } else {
            spec = SyntheticSpec(rows: 10_000, features: 20, informative: 5, classProportions: [0.95, 0.05],
                                 separation: 2, labelNoise: 0, seed: seed)
        }
        if let rows = params.rows { spec.rows = rows }
        if let features = params.features {
            if features != spec.features { spec.featureNames = nil }
            spec.features = features
            if params.informative == nil { spec.informative = min(spec.informative, features) }
        }
        if let informative = params.informative { spec.informative = informative }
        if params.positiveRate != nil && params.classWeights != nil {
            throw RPCError.invalidParams("Give positive_rate (binary data) or class_weights (any number of classes), not both.",
                                         field: "class_weights")
        }
        if let rate = params.positiveRate {
            guard rate > 0 && rate < 1 else {
                throw RPCError.invalidParams("positive_rate must lie strictly between 0 and 1, got \(rate).", field: "positive_rate")
            }
            spec.classProportions = [1 - rate, rate]
        }
        if let weights = params.classWeights {
            let total = weights.reduce(0, +)
            guard weights.count >= 2, weights.allSatisfy({ $0 > 0 && $0.isFinite }) else {
                throw RPCError.invalidParams("class_weights needs at least two positive, finite proportions.", field: "class_weights")
            }
            spec.classProportions = weights.map { $0 / total }
        }
        if let separation = params.separation { spec.separation = separation }
        if let noise = params.noise { spec.labelNoise = noise }
        return spec
    }
}
