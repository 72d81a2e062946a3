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

extension InvalidArgument: RPCErrorConvertible {
    /// The numerics name fields in Swift's spelling; the wire uses snake_case.
    public var rpcError: RPCError {
        let wireNames = ["classProportions": "class_weights", "labelNoise": "noise", "positiveRate": "positive_rate",
                         "classIndex": "dataset", "data": "dataset"]
        let wire = wireNames[field] ?? field.reduce(into: "") { out, character in
            if character.isUppercase { out += "_" + character.lowercased() } else { out.append(character) }
        }
        return .invalidParams(message.replacingOccurrences(of: field, with: wire), field: wire)
    }
}
