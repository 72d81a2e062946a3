import BallastStore

extension Server {
    /// Brings back the models and datasets the previous daemon kept, before anyone can connect,
    /// then keeps whatever is stored from now on. What did not come back is logged (and listed
    /// by `dataset/list`); the rest loads.
    func restoreWorkspace(from store: Store) {
        guard let folder = store.datasetFolder else { return }
        let modelKeeper = ModelKeeper(store: store)
        let models = modelKeeper.restore(into: self.models, log: log)
        let datasetKeeper = DatasetKeeper(store: store, folder: folder, keepsDatasets: configuration.keepDatasets,
                                          maxBytes: configuration.stateMaxBytes, log: log)
        let datasets = datasetKeeper.restore(into: workspace)
        workspace.setUnavailable(datasets.unavailable)
        self.models.keep(with: modelKeeper)
        workspace.keep(with: datasetKeeper)
        if !models.restored.isEmpty || !datasets.names.isEmpty {
            log(.info, "Restored \(models.restored.count) model(s) and \(datasets.names.count) dataset(s) from the store: "
                + (models.restored + datasets.names).joined(separator: ", ") + ".")
        }
        for dataset in datasets.unavailable where dataset.reason != .notKept {
            log(.warning, "The dataset '\(dataset.name)' did not come back (\(dataset.reason.rawValue)): \(dataset.message)")
        }
        let notKept = datasets.unavailable.filter { $0.reason == .notKept }.map(\.name)
        if !notKept.isEmpty {
            log(.info, "Not kept, so not restored (their provenance is): \(notKept.joined(separator: ", ")).")
        }
        // Files kept by an earlier daemon under a larger --state-max-bytes are evicted now.
        datasetKeeper.applySizePolicy(lastUsed: [:])
    }
}
