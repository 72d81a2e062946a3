import BallastML
import BallastProtocol
import Foundation

extension Handlers {
    /// `dataset/generate`, `dataset/list`, `dataset/describe`, `dataset/head`, `dataset/put`,
    /// `dataset/get`, `dataset/drop`.
    func registerDatasets(into table: inout MethodTable) {
        table.register(DatasetGenerate.self) { params, _ in
            let spec = try SyntheticSpec(params)
            let name = params.name ?? params.preset?.rawValue ?? "synthetic"
            // The class shares come from positive_rate, class_weights or the preset; a preset's fail
            // only for too few rows.
            let shares = params.positiveRate != nil ? "positive_rate" : params.classWeights != nil ? "class_weights" : "rows"
            let paths = WirePaths(overrides: [.classProportions: shares])
            // The matrix is allocated at once: check the shape, then that it fits, before generating anything.
            try paths.translating { try SyntheticData.validate(spec) }
            let bytes = MemoryBudget.sum([MemoryBudget.product(spec.rows, spec.features, 4), MemoryBudget.product(spec.rows, 4)])
            try workspace.budget.checkRoom(bytes, doing: "Generating the dataset '\(name)'", replacing: .dataset(name))
            let dataset = try paths.translating { try SyntheticData.generate(spec) }
            let warnings = workspace.replacementWarnings(name)
            let replaced = try workspace.store(name, .init(dataset: dataset, origin: .generated,
                                                           missingPerFeature: Array(repeating: 0, count: dataset.featureCount)),
                                               madeBy: DatasetProvenance(DatasetGenerate.self, params, keep: params.keep))
            return DatasetSummary(name: name, dataset: dataset, replaced: replaced, warnings: warnings)
        }
        table.register(DatasetList.self) { _, _ in
            // A listing is not a use: it leaves the size policy's order alone.
            let summaries = workspace.datasetNames.compactMap { name in
                (try? workspace.entry(name, asUse: false)).map { DatasetSummary(name: name, dataset: $0.dataset) }
            }
            let unavailable = workspace.unavailable
            return DatasetList.Result(datasets: summaries, bytesUsed: workspace.bytesUsed, memoryBudget: workspace.memoryBudget,
                                      unavailable: unavailable.isEmpty ? nil : unavailable)
        }
        table.register(DatasetDescribe.self) { params, _ in
            let entry = try workspace.entry(params.dataset)
            let stats = entry.dataset.featureStatistics(missing: entry.missingPerFeature).map {
                DatasetDescribe.FeatureStats(name: $0.name, mean: $0.mean, std: $0.std, min: $0.min, max: $0.max, missing: $0.missing)
            }
            return DatasetDescribe.Result(dataset: DatasetSummary(name: params.dataset, dataset: entry.dataset),
                                          featureStats: stats, origin: entry.origin, columns: entry.dataset.schema.wireColumns,
                                          fingerprint: entry.fingerprint)
        }
        registerDatasetHead(into: &table)
        registerDatasetPut(into: &table)
        registerDatasetGet(into: &table)
        table.register(DatasetDrop.self) { params, _ in
            DatasetDrop.Result(dropped: params.dataset, bytesFreed: try workspace.drop(params.dataset))
        }
    }
}
