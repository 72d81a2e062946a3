import BallastML
import BallastProtocol
import Foundation

extension DatasetSummary {
    init(name: String, dataset: Dataset, replaced: Bool? = nil) {
        let counts = dataset.classCounts
        let present = counts.filter { $0 > 0 }
        self.init(name: name, rows: dataset.rowCount, features: dataset.featureCount, featureNames: dataset.featureNames,
                  classes: zip(dataset.classLabels, counts).map { ClassCount(label: $0, count: $1) },
                  imbalanceRatio: Double(present.max() ?? 0) / Double(max(1, present.min() ?? 1)),
                  positive: dataset.positiveClass.map { dataset.classLabels[$0] },
                  bytes: dataset.byteCount, replaced: replaced)
    }
}

extension Handlers {
    /// A dataset scored beside the training data (validation, test) must have its features and
    /// its classes, in the same order.
    static func requireAlike(_ other: Dataset, _ train: Dataset, field: String) throws(RPCError) {
        guard other.featureCount != train.featureCount || other.classLabels != train.classLabels else { return }
        throw .invalidParams("'\(field)' must have the training data's \(train.featureCount) features and classes \(train.classLabels.joined(separator: ", ")).",
                             field: field)
    }
}
