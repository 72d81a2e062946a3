import BallastProtocol
import Foundation

/// What the fuzzer starts from: every method the daemon advertises in `initialize`, each with the
/// params the golden examples (protocol/examples) send it, or a small template where none do.
struct FuzzCorpus {
    /// Request-socket methods with their seed params, in a fixed order.
    let requestMethods: [(method: String, seeds: [JSONValue])]
    /// Control-socket methods with their seed params, `shutdown` left out (it would end the run).
    let controlMethods: [(method: String, seeds: [JSONValue])]

    /// Methods that run as jobs: their requests are cancelled at the end of each batch.
    static let jobs: Set = ["model/train", "experiment/compare", "experiment/sweep"]
    /// Methods a signed fuzz message never names: they would end the run on purpose.
    static let ending: Set = ["shutdown", "exit"]
    /// Methods whose byte-mutated paths could write outside the daemon's folder.
    static let writing: Set = ["model/save"]

    static let templates: [String: JSONValue] = [
        "model/save": ["model": "m", "path": "saved.json"],
        "model/load": ["path": "saved.json", "name": "m2"],
        "model/describe": ["model": "m"],
        "model/drop": ["model": "m2"],
        "run/events": ["run": "run-1", "since_seq": 0],
        "run/cancel": ["run": "run-1"],
        "dataset/load": ["path": "small.csv", "name": "fuzz"],
        "ping": [:],
        "status": [:],
    ]

    /// - Parameters:
    ///   - capabilities: the `capabilities` member of an `initialize` result.
    init(capabilities: JSONValue, examples: URL) throws {
        var request: [String: [JSONValue]] = [:], control: [String: [JSONValue]] = [:]
        let names = try FileManager.default.contentsOfDirectory(atPath: examples.path).filter { $0.hasSuffix(".json") }.sorted()
        for name in names where name != "signing.json" {
            let example = try JSONParser.parse(Data(contentsOf: examples.appendingPathComponent(name)))
            let onControl = example["socket"]?.stringValue == "control"
            for exchange in example["exchanges"]?.arrayValue ?? [] {
                guard let method = exchange["send"]?["method"]?.stringValue else { continue }
                let params = exchange["send"]?["params"] ?? [:]
                guard case .object = params else { continue }
                if onControl { control[method, default: []].append(params) } else { request[method, default: []].append(params) }
            }
        }
        func seeded(_ methods: [String], _ found: [String: [JSONValue]]) -> [(String, [JSONValue])] {
            methods.filter { !Self.ending.contains($0) }.map { method in
                let seeds = found[method] ?? []
                // model/save's examples may name any path: the template keeps writes in the folder.
                if Self.writing.contains(method) || seeds.isEmpty { return (method, [Self.templates[method] ?? [:]]) }
                return (method, seeds)
            }
        }
        let advertised = capabilities["methods"]?.arrayValue?.compactMap(\.stringValue) ?? []
        let advertisedControl = capabilities["control_methods"]?.arrayValue?.compactMap(\.stringValue) ?? []
        requestMethods = seeded(advertised.sorted(), request)
        controlMethods = seeded(advertisedControl.sorted(), control)
        guard !requestMethods.isEmpty, !controlMethods.isEmpty else {
            throw DaemonProcessError("initialize advertised no methods to fuzz")
        }
    }
}
