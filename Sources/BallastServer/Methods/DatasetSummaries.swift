import BallastML
import BallastProtocol
import Foundation

extension DatasetSummary {
    init(name: String, dataset: Dataset, replaced: Bool? = nil, warnings: [String] = []) {
        let counts = dataset.classCounts
        let present = counts.filter { $0 > 0 }
        let backed = dataset.features.isBacked
        let storage: DatasetStorageName = backed ? .disk : .memory
        let diskBytes: Int? = backed ? (dataset.features.count + dataset.rowCount) * 4 : nil
        let view: Bool? = dataset.features.isView ? true : nil
        self.init(name: name, rows: dataset.rowCount, features: dataset.featureCount, featureNames: dataset.featureNames,
                  classes: zip(dataset.classLabels, counts).map { ClassCount(label: $0, count: $1) },
                  imbalanceRatio: Double(present.max() ?? 0) / Double(max(1, present.min() ?? 1)),
                  positive: dataset.positiveClass.map { dataset.classLabels[$0] },
                  bytes: dataset.residentBytes, replaced: replaced, warnings: warnings.isEmpty ? nil : warnings,
                  storage: storage, diskBytes: diskBytes, view: view)
    }
}
