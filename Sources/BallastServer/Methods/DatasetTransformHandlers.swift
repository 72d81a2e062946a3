import BallastML
import BallastProtocol
import Foundation

extension Handlers {
    /// `dataset/split`, `dataset/kfold`, `dataset/standardize`, `dataset/resample`.
    func registerDatasetTransforms(into table: inout MethodTable) {
        table.register(DatasetSplit.self) { params, _ in
            guard params.stratify ?? true else {
                throw RPCError.invalidParams("Only stratified splits are offered: an unstratified split can leave a rare class out of a part by chance.",
                                             field: "stratify")
            }
            let source = try workspace.dataset(params.dataset)
            // The parts of a disk dataset are row-index views of it: a map, the classes and ids a row.
            try workspace.checkRoomForViews(source, rows: source.rowCount, doing: "Splitting '\(params.dataset)'")
            let parts = try Splitting.stratifiedSplit(classIndex: source.classIndex, classCount: source.classCount,
                                                      test: params.test ?? 0.3, validation: params.validation ?? 0,
                                                      seed: params.seed ?? 0)
            let prefix = params.prefix ?? params.dataset
            var made: [(name: String, entry: Workspace.Entry)] = []
            for (suffix, rows) in [("train", parts.train), ("validation", parts.validation), ("test", parts.test)] where !rows.isEmpty {
                made.append(("\(prefix).\(suffix)", .init(dataset: source.selecting(rows: rows), origin: .split,
                                                          missingPerFeature: Array(repeating: 0, count: source.featureCount),
                                                          derivedFrom: params.dataset)))
            }
            let warnings = made.map { workspace.replacementWarnings($0.name, besides: made.map(\.name))
                + viewWarning($0.name, $0.entry.dataset, of: params.dataset, keep: params.keep) }
            let replaced = try workspace.store(made, madeBy: DatasetProvenance(DatasetSplit.self, params, sources: [params.dataset],
                                                                               keep: params.keep))
            let names = Set(made.map(\.name))
            func named(_ suffix: String) -> String? { names.contains("\(prefix).\(suffix)") ? "\(prefix).\(suffix)" : nil }
            return DatasetSplit.Result(train: "\(prefix).train", validation: named("validation"), test: named("test"),
                                       datasets: zip(made, warnings).map { part, warnings in
                                           DatasetSummary(name: part.name, dataset: part.entry.dataset, replaced: replaced[part.name],
                                                          warnings: warnings)
                                       })
        }
        table.register(DatasetKFold.self) { params, _ in
            let source = try workspace.dataset(params.dataset)
            let folds = try Splitting.stratifiedKFold(classIndex: source.classIndex, classCount: source.classCount,
                                                      folds: params.folds ?? 5, seed: params.seed ?? 0)
            if params.materialize ?? false {
                // Each row is in one fold's held-out part and every other fold's training part,
                // as views of a disk dataset (a map, the class and id a row).
                try workspace.checkRoomForViews(source, rows: MemoryBudget.product(source.rowCount, folds.count),
                                                doing: "Making \(folds.count) folds of '\(params.dataset)'")
            }
            var made: [(name: String, entry: Workspace.Entry)] = []
            var result: [DatasetKFold.Fold] = []
            for (index, heldOut) in folds.enumerated() {
                var counts = [Int](repeating: 0, count: source.classCount)
                for row in heldOut { counts[Int(source.classIndex[row])] += 1 }
                var fold = DatasetKFold.Fold(index: index + 1, classes: zip(source.classLabels, counts).map { ClassCount(label: $0, count: $1) },
                                             train: nil, test: nil)
                if params.materialize ?? false {
                    var isHeldOut = [Bool](repeating: false, count: source.rowCount)
                    for row in heldOut { isHeldOut[row] = true }
                    let trainRows = (0..<source.rowCount).filter { !isHeldOut[$0] }
                    fold.train = "\(params.dataset).fold\(index + 1).train"
                    fold.test = "\(params.dataset).fold\(index + 1).test"
                    let zeros = Array(repeating: 0, count: source.featureCount)
                    made.append((fold.train!, .init(dataset: source.selecting(rows: trainRows), origin: .fold, missingPerFeature: zeros,
                                                    derivedFrom: params.dataset)))
                    made.append((fold.test!, .init(dataset: source.selecting(rows: heldOut), origin: .fold, missingPerFeature: zeros,
                                                    derivedFrom: params.dataset)))
                }
                result.append(fold)
            }
            try workspace.store(made, madeBy: DatasetProvenance(DatasetKFold.self, params, sources: [params.dataset], keep: params.keep))
            return DatasetKFold.Result(folds: result)
        }
        table.register(DatasetStandardize.self) { params, _ in
            let fitted = try workspace.dataset(params.fit, field: "fit")
            let scaler = Standardizer.fit(fitted)
            let inPlace = params.inPlace ?? false
            let suffix = params.suffix ?? ".std"
            let targets = params.apply ?? [params.fit]
            if let twice = targets.indices.first(where: { targets[..<$0].contains(targets[$0]) }) {
                throw RPCError.invalidParams("'\(targets[twice])' is named twice in 'apply'; name each dataset once.", field: "apply[\(twice)]")
            }
            var made: [(name: String, entry: Workspace.Entry)] = []
            var warnings: [String] = []
            // Every output name is checked before a row is written: a bad suffix is refused at once.
            for name in targets where !inPlace {
                do throws(RPCError) { try Workspace.validate(name: name + suffix) } catch {
                    throw RPCError.invalidParams(error.message, field: "suffix")
                }
            }
            do {
                for (index, name) in targets.enumerated() {
                    let entry = try workspace.entry(name, field: "apply")
                    // A disk dataset whose columns are in another order than `fit`'s is matched to them
                    // by a copy in memory: weighed first (a disk dataset in `fit`'s order is not copied).
                    if entry.dataset.featureNames != fitted.featureNames {
                        try workspace.checkRoomToCopy(entry.dataset, rows: entry.dataset.rowCount,
                                                      doing: "Matching '\(name)' to the columns of '\(params.fit)'", field: "apply[\(index)]")
                    }
                    // The scaler's means are per feature of `fit`: the data is matched to its columns first.
                    let (data, said) = try Self.align(entry.dataset, named: name, field: "apply[\(index)]", to: fitted.schema,
                                                      classes: entry.dataset.classLabels, positive: entry.dataset.positiveClass)
                    warnings += said
                    let output = inPlace ? name : name + suffix
                    let scaled: Dataset
                    var keptRowFile: String? = nil
                    if data.features.isBacked {
                        // A disk dataset (or a view of one) is standardized into a new row file: it
                        // stays on disk, and only a chunk of rows and the classes are held meanwhile.
                        (scaled, keptRowFile) = try standardizeToDisk(data, with: scaler, named: output, field: "apply[\(index)]",
                                                                      keep: params.keep)
                    } else {
                        scaled = try WirePaths(overrides: [.dataset: "apply[\(index)]"]).translating { try scaler.apply(data) }
                    }
                    made.append((output,
                                 .init(dataset: scaled, origin: .standardized,
                                       missingPerFeature: Self.missing(entry.missingPerFeature, of: entry.dataset, as: data),
                                       derivedFrom: inPlace ? nil : name, keptRowFile: keptRowFile)))
                }
                try workspace.store(made, madeBy: DatasetProvenance(DatasetStandardize.self, params,
                                                                    sources: [params.fit] + targets.filter { $0 != params.fit },
                                                                    keep: params.keep))
            } catch {
                // Not stored (a later target refused, or the store failed): the row files written
                // to be kept are nobody's now.
                workspace.removeKeptRowFiles(made.compactMap(\.entry.keptRowFile))
                throw error
            }
            let outputs = Dictionary(uniqueKeysWithValues: zip(targets, made.map(\.name)))
            return DatasetStandardize.Result(mean: scaler.mean, scale: scaler.scale, outputs: outputs,
                                             warnings: warnings.isEmpty ? nil : warnings)
        }
        table.register(DatasetResample.self) { params, _ in
            let source = try workspace.dataset(params.dataset)
            let ratio = params.ratio ?? 1, seed = params.seed ?? 0
            // Over- and under-sampling pick rows: views of a disk dataset. SMOTE makes new rows, and
            // the picked ones with them, in memory. Weighed for the rows the result will hold.
            let resampledRows = Resampling.resultRows(classCounts: source.classCounts, ratio: ratio, over: params.method != .under)
            try workspace.checkRoomToResample(source, smote: params.method == .smote, rows: resampledRows,
                                              doing: "Resampling '\(params.dataset)'")
            let resampled: Dataset
            switch params.method {
            case .over: resampled = try Resampling.randomOver(source, ratio: ratio, seed: seed)
            case .under: resampled = try Resampling.randomUnder(source, ratio: ratio, seed: seed)
            case .smote: resampled = try Resampling.smote(source, ratio: ratio, k: params.k ?? 5, seed: seed)
            }
            let name = params.name ?? "\(params.dataset).\(params.method.rawValue)"
            let warnings = workspace.replacementWarnings(name) + viewWarning(name, resampled, of: params.dataset, keep: params.keep)
            let replaced = try workspace.store(name, .init(dataset: resampled, origin: .resampled,
                                                           missingPerFeature: Array(repeating: 0, count: resampled.featureCount),
                                                           derivedFrom: params.dataset),
                                               madeBy: DatasetProvenance(DatasetResample.self, params, sources: [params.dataset],
                                                                         keep: params.keep))
            return DatasetSummary(name: name, dataset: resampled, replaced: replaced, warnings: warnings)
        }
    }

    /// What a person keeping a view should know: it reads its base's row file and holds only a
    /// row map, which is not written to the state directory, so it will not come back after a
    /// restart (its base does, when kept).
    func viewWarning(_ name: String, _ dataset: Dataset, of base: String, keep: Bool?) -> [String] {
        guard dataset.features.isView, workspace.keeps(keep) else { return [] }
        return ["'\(name)' is a view of the disk dataset '\(base)' (it reads that dataset's row file, copying no row), and a view is not kept across restarts; after one, make it again with the same request (it is quick: no row is copied)."]
    }
}
