import BallastProtocol
import Foundation

/// The seeded mix of requests one kill-loop client sends in one round: its own two datasets
/// (binary and three-class, generated and split at the start of the round, sometimes again later),
/// then trainings of every model, loss and optimizer, of sizes from a blink to several seconds,
/// comparisons and sweeps. The same seed, round and client give the same requests in the same order.
struct DurabilityWorkload {
    let round: Int
    let client: Int
    private var random: SeededGenerator
    private var sent = 0
    private var binaryRows: Int
    private var multiclassRows: Int

    /// The features every generated dataset has, so fixed rows can be predicted by any model.
    static let features = 6
    /// From a blink to trainings of seconds (an MLP on the largest, for 60 epochs).
    static let binarySizes = [2_000, 12_000, 80_000]

    init(seed: UInt64, round: Int, client: Int) {
        self.round = round
        self.client = client
        var random = SeededGenerator(seed: seed &+ UInt64(round) &* 1_000_003 &+ UInt64(client) &* 7_919)
        binaryRows = random.pick(Self.binarySizes)
        multiclassRows = random.pick([2_000, 20_000])
        self.random = random
    }

    var binary: String { "b\(client)" }
    var multiclass: String { "k\(client)" }

    /// A request: one that makes a run has a token (its `progress_token`); a dataset request has none.
    struct Planned {
        let method: String
        let params: JSONValue
        let token: String?
        let model: String?
    }

    /// The requests that (re)make the client's datasets: generate and split, each kind.
    mutating func datasets() -> [Planned] {
        let seed = Int64(random.next() % 1_000)
        func generate(_ name: String, rows: Int, classes: JSONValue?) -> [Planned] {
            var params: [String: JSONValue] = ["name": .string(name), "rows": .int(Int64(rows)), "seed": .int(seed),
                                               "features": .int(Int64(Self.features)), "informative": 4]
            if let classes { params["class_weights"] = classes } else { params["positive_rate"] = 0.05 }
            return [Planned(method: DatasetGenerate.method, params: .object(params), token: nil, model: nil),
                    Planned(method: DatasetSplit.method,
                            params: ["dataset": .string(name), "test": 0.3, "validation": 0.2, "seed": 1],
                            token: nil, model: nil)]
        }
        return generate(binary, rows: binaryRows, classes: nil)
            + generate(multiclass, rows: multiclassRows, classes: [0.85, 0.1, 0.05])
    }

    /// The next request: mostly trainings, some comparisons and sweeps, now and then new data.
    mutating func next() -> [Planned] {
        sent += 1
        let token = "r\(round).c\(client).\(sent)"
        switch random.weighted([12, 3, 2, 1]) {
        case 0: return [training(token)]
        case 1: return [comparison(token)]
        case 2: return [sweep(token)]
        default:
            binaryRows = random.pick(Self.binarySizes)
            return datasets()
        }
    }

    private mutating func training(_ token: String) -> Planned {
        let multi = random.chance(0.35)
        let data = multi ? multiclass : binary
        let type = random.pick(multi ? ["softmax", "mlp"] : ["logistic", "mlp"])
        var model: [String: JSONValue] = ["type": .string(type)]
        if type == "mlp" { model["hidden"] = random.pick([[8], [16, 8], [64, 32]]) }
        let loss: JSONValue = switch random.weighted([2, 2, 1]) {
        case 0: ["type": "ce"]
        case 1: ["type": "wce", "weights": ["scheme": .string(random.pick(["inverse", "balanced", "inverse_sqrt"]))]]
        default: ["type": "focal", "gamma": .double(random.pick([1.0, 2.0]))]
        }
        let optimizer: JSONValue = type != "mlp" && random.chance(0.6)
            ? ["type": "lbfgs", "max_iter": .int(Int64(random.pick([10, 50, 200])))]
            : ["type": "adam", "epochs": .int(Int64(random.pick([3, 15, 60]))), "lr": 0.01]
        let name = "m-\(token)"
        var params: [String: JSONValue] = ["dataset": .string(data + ".train"), "name": .string(name),
                                           "model": .object(model), "loss": loss, "optimizer": optimizer,
                                           "seed": .int(Int64(random.next() % 100)), "progress_token": .string(token)]
        if random.chance(0.5) { params["validation"] = .string(data + ".validation") }
        return Planned(method: ModelTrain.method, params: .object(params), token: token, model: name)
    }

    private mutating func comparison(_ token: String) -> Planned {
        let all = ["ce", "wce_inverse", "wce_balanced", "focal", "ce_best_f1", "under"]
        let arms = Array(all.shuffled(using: &random).prefix(Int.random(in: 2...4, using: &random)))
        let params: JSONValue = ["train": .string(binary + ".train"), "test": .string(binary + ".test"),
                                 "validation": .string(binary + ".validation"),
                                 "arms": .array(arms.map { .string($0) }),
                                 "optimizer": ["type": "lbfgs", "max_iter": .int(Int64(random.pick([20, 100])))],
                                 "progress_token": .string(token)]
        return Planned(method: ExperimentCompare.method, params: params, token: token, model: nil)
    }

    private mutating func sweep(_ token: String) -> Planned {
        let param = random.pick(["w", "gamma"])
        let grid: JSONValue = param == "w" ? [0.5, 0.8, 0.95] : [0.5, 2.0]
        let params: JSONValue = ["dataset": .string(binary + ".train"), "param": .string(param), "grid": grid,
                                 "folds": 3, "optimizer": ["type": "lbfgs", "max_iter": 30],
                                 "progress_token": .string(token)]
        return Planned(method: ExperimentSweep.method, params: params, token: token, model: nil)
    }

    /// Fixed rows to predict with every model before the kill and after the restart.
    static let probeRows: JSONValue = [[0, 0, 0, 0, 0, 0], [1, -1, 2, 0.5, -0.25, 3], [-2, 1.5, 0, 1, 1, -1]]
}
