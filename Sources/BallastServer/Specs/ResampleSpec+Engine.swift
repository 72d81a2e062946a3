import BallastML
import BallastProtocol

extension ResampleSpec {
    /// `ratio` and `k` when not given: imbalanced-learn's 1:1 and 5 neighbours.
    static let defaultRatio = 1.0
    static let defaultNeighbours = 5

    /// Rows the resampling of `data` will hold (`Resampling.resultRows`), to weigh it first.
    func resultRows(of data: Dataset) -> Int {
        Resampling.resultRows(classCounts: data.classCounts, ratio: ratio ?? Self.defaultRatio, over: method != .under)
    }

    /// `data` resampled as asked, seeded by `seed`; errors name `<path>.ratio` / `<path>.k`.
    func apply(to data: Dataset, seed: UInt64, path: String) throws -> Dataset {
        let paths = WirePaths(overrides: [.resampleRatio: "\(path).ratio", .neighbours: "\(path).k", .dataset: "dataset"])
        return try paths.translating {
            switch method {
            case .over: try Resampling.randomOver(data, ratio: ratio ?? Self.defaultRatio, seed: seed)
            case .under: try Resampling.randomUnder(data, ratio: ratio ?? Self.defaultRatio, seed: seed)
            case .smote: try Resampling.smote(data, ratio: ratio ?? Self.defaultRatio, k: k ?? Self.defaultNeighbours, seed: seed)
            }
        }
    }
}
