import BallastClient
import BallastProtocol
import BallastTransport
import Foundation

/// Why a command failed, and the exit status it means.
enum Failure: Error, CustomStringConvertible {
    /// A command the grammar refuses (exit 2).
    case usage(String)
    /// The daemon answered with an error (exit 1); a cancelled request is one too.
    case daemon(RPCError)
    /// No daemon could be reached (exit 3).
    case unavailable(String)

    var exitCode: Int32 {
        switch self {
        case .usage: 2
        case .daemon: 1
        case .unavailable: 3
        }
    }

    var description: String {
        switch self {
        case .usage(let m), .unavailable(let m): m
        case .daemon(let e): e.message
        }
    }
}

struct SessionOptions {
    var json = false
    var keepGoing = false
    var connectionFile: String?
    var noSpawn = false
    /// Seconds to wait for one reply.
    var timeout: Double = 7 * 24 * 3600
}

/// One client session: the connection (made on first use), what this session has learnt (which
/// run made which model, the last comparison), and how each command's result is shown.
final class Session {
    let options: SessionOptions
    let terminal: Terminal
    private var client: Client?
    private var info: ConnectionInfo?
    private var tokens = 0
    var modelRuns: [String: String] = [:]
    var lastCompare: JSONValue?
    var lastSweep: JSONValue?

    init(options: SessionOptions, terminal: Terminal = .detect()) {
        self.options = options
        self.terminal = terminal
    }

    // MARK: Connection

    func connection() throws(Failure) -> Client {
        if let client { return client }
        let info: ConnectionInfo
        do { info = try DaemonLauncher.connect(connectionFile: options.connectionFile, spawn: !options.noSpawn) } catch {
            throw .unavailable(error.description)
        }
        do {
            let client = try Client(info)
            try client.initialize(name: "ballast")
            self.client = client
            self.info = info
            return client
        } catch {
            throw classify(error)
        }
    }

    func disconnect() {
        client?.close()
        client = nil
    }

    private func classify(_ error: ClientError) -> Failure {
        switch error {
        case .rpc(let e): return .daemon(e)
        default:
            disconnect()
            return .unavailable(error.description)
        }
    }

    /// Sends one request; Ctrl-C meanwhile cancels it. Long methods get a progress token and a live display.
    func request(_ method: String, _ params: [String: JSONValue], control: Bool = false, progress: Bool = false) throws(Failure) -> JSONValue {
        let client = try connection()
        var params = params
        let view: ProgressView? = progress && terminal.isTTY && !options.json ? ProgressView(terminal: terminal) : nil
        if view != nil && params["progress_token"] == nil {
            tokens += 1
            params["progress_token"] = .string("ballast-\(tokens)")
        }
        let outcome: Result<JSONValue, ClientError>
        if control {
            do { outcome = .success(try client.control(method, params: .object(params), timeout: 10)) } catch { outcome = .failure(error) }
        } else {
            let timeout = options.timeout
            outcome = Interrupts.shared.running(client.info, session: client.session, id: client.upcomingID) {
                Result { () throws(ClientError) -> JSONValue in
                    try client.call(method, params: .object(params), timeout: timeout) { name, value in view?.handle(name, value) }
                }
            }
        }
        view?.finish()
        switch outcome {
        case .success(let value): return value
        case .failure(let error): throw classify(error)
        }
    }

    // MARK: Names, for completion

    func names(_ kind: NameKind) -> [String] {
        guard client != nil || DaemonLauncher.liveDaemon(at: options.connectionFile ?? ConnectionInfo.defaultPath) != nil else { return [] }
        switch kind {
        case .dataset:
            return ((try? request("dataset/list", [:]))?["datasets"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
        case .model:
            return ((try? request("model/list", [:]))?["models"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
        case .run:
            return Array(modelRuns.values).sorted() + Array(modelRuns.keys).sorted()
        case .method:
            return knownMethods
        default:
            return []
        }
    }

    let knownMethods = ["dataset/load", "dataset/generate", "dataset/list", "dataset/describe", "dataset/drop", "dataset/split",
                        "dataset/kfold", "dataset/standardize", "dataset/resample", "weights/compute", "model/train",
                        "model/evaluate", "model/predict", "model/list", "model/describe", "model/drop", "model/save",
                        "model/load", "experiment/compare", "experiment/sweep", "run/events", "run/cancel", "ping", "status"]

    // MARK: Commands

    /// Runs one parsed command. Returns false when the session should end (`exit`).
    func execute(_ invocation: Invocation) throws(Failure) -> Bool {
        let spec = invocation.spec
        switch spec.name {
        case "exit": return false
        case "help":
            emitText(Grammar.help(invocation.words.first))
            return true
        case "echo":
            emitText(invocation.words.joined(separator: " "))
            return true
        case "call":
            try call(invocation.words)
            return true
        case "plot":
            try plot(invocation)
            return true
        case "vs-seed":
            try versusSeed()
            return true
        default:
            break
        }
        guard let method = spec.method else { return true }
        let long = ["model/train", "experiment/compare", "experiment/sweep", "dataset/load"].contains(method)
        let result: JSONValue
        do {
            result = try request(method, invocation.params, control: spec.control, progress: long)
        } catch .daemon(let error) where error.code == ErrorCode.requestCancelled {
            if let run = error.data?["run"]?.stringValue, let name = invocation.params["name"]?.stringValue { modelRuns[name] = run }
            throw .daemon(error)
        }
        remember(method, invocation.params, result)
        if options.json {
            Out.line(JSONWriter.string(result))
        } else {
            Out.line(Render.result(spec.name, result, params: invocation.params, terminal: terminal))
        }
        return true
    }

    private func remember(_ method: String, _ params: [String: JSONValue], _ result: JSONValue) {
        switch method {
        case "model/train":
            if let model = result["model"]?.stringValue, let run = result["run"]?.stringValue { modelRuns[model] = run }
        case "experiment/compare": lastCompare = result
        case "experiment/sweep": lastSweep = result
        default: break
        }
    }

    private func emitText(_ text: String) {
        if options.json { Out.line(JSONWriter.string(["text": .string(text)])) } else { Out.line(text) }
    }

    private func call(_ words: [String]) throws(Failure) {
        guard let method = words.first else { throw .usage("Usage: call METHOD [JSON-OBJECT]") }
        guard words.count <= 2 else { throw .usage("call takes a method and one JSON object; quote the object or write it without gaps.") }
        var params: [String: JSONValue] = [:]
        if words.count == 2 {
            let parsed: JSONValue
            do { parsed = try JSONParser.parse(words[1]) } catch { throw .usage("The params are not valid JSON: \(error).") }
            guard case .object(let members) = parsed else { throw .usage("The params must be a JSON object, like {\"dataset\": \"cards\"}.") }
            params = members
        }
        let control = ["status", "run/cancel"].contains(method)
        let long = ["model/train", "experiment/compare", "experiment/sweep", "dataset/load"].contains(method)
        let result = try request(method, params, control: control, progress: long && params["progress_token"] == nil)
        remember(method, params, result)
        Out.line(JSONWriter.string(result, pretty: !options.json))
    }

    // MARK: plot

    private func plot(_ invocation: Invocation) throws(Failure) {
        guard let model = invocation.words.first else { throw .usage("Usage: plot MODEL [DATASET] [run=RUN]") }
        let summary = try request("model/describe", ["model": .string(model)])
        var dataset = invocation.words.count > 1 ? invocation.words[1] : nil
        if dataset == nil, let trainedOn = summary["model"]?["trained_on"]?.stringValue {
            let known = names(.dataset)
            let prefix = trainedOn.hasSuffix(".train") ? String(trainedOn.dropLast(6)) : trainedOn
            dataset = known.contains(prefix + ".test") ? prefix + ".test" : trainedOn
        }
        let run = invocation.params["@run"]?.stringValue ?? summary["model"]?["run"]?.stringValue ?? modelRuns[model]
        var loss: [(Double, Double)] = []
        var validationF1: [(Double, Double)] = []
        if let run {
            let events = try request("run/events", ["run": .string(run)])
            for event in events["events"]?.arrayValue ?? [] where event["kind"]?.stringValue == "report" {
                guard let step = event["step"]?.doubleValue else { continue }
                if let l = event["loss"]?.doubleValue { loss.append((step, l)) }
                if let f = event["validation"]?["f1"]?.doubleValue { validationF1.append((step, f)) }
            }
        }
        var pr: [(Double, Double)] = []
        var report: JSONValue = .null
        if let dataset {
            report = try request("model/evaluate", ["model": .string(model), "dataset": .string(dataset), "curves": true])
            for point in report["curves"]?["pr"]?.arrayValue ?? [] {
                if let x = point["x"]?.doubleValue, let y = point["y"]?.doubleValue { pr.append((x, y)) }
            }
        }
        if options.json {
            Out.line(JSONWriter.string(["model": .string(model), "run": run.map(JSONValue.string) ?? .null,
                                        "loss": .array(loss.map { [.double($0.0), .double($0.1)] }),
                                        "pr": .array(pr.map { [.double($0.0), .double($0.1)] }),
                                        "dataset": dataset.map(JSONValue.string) ?? .null]))
            return
        }
        let width = max(30, min(60, terminal.width - 14))
        if loss.count > 1 {
            var chart = Charts.Plot(title: "\(model): training loss by step (run \(run ?? "?"))", width: width, height: 10)
            chart.xLabel = "step"
            chart.series = [loss]
            Out.line(chart.render())
            if validationF1.count > 1 {
                var f1Chart = Charts.Plot(title: "\(model): validation F1 by step", width: width, height: 6)
                f1Chart.xLabel = "step"
                f1Chart.series = [validationF1]
                Out.line(f1Chart.render())
            }
        } else if run == nil {
            Out.line("  \(model): no loss curve: this session did not train it (give run=RUN; 'events' lists a run's records).")
        } else {
            Out.line("  \(model): run \(run!) recorded fewer than two loss values.")
        }
        if pr.count > 1, let dataset {
            var chart = Charts.Plot(title: "\(model): precision-recall curve on \(dataset) (PR-AUC \(Fmt.num(report["pr_auc"]?.doubleValue)))",
                                    width: width, height: 12)
            chart.xLabel = "recall"
            chart.yLabel = "prec"
            chart.xRange = 0...1
            chart.yRange = 0...1
            chart.series = [pr]
            Out.line(chart.render())
        }
    }

    // MARK: vs-seed

    /// The seed paper's reported figures (CE and WCE on the credit-card fraud data).
    static let seedFigures: [(arm: String, label: String, recall: Double, precision: Double, f1: Double)] = [
        ("ce", "CE", 0.5345, 0.9034, 0.6703),
        ("wce_inverse", "WCE", 0.9397, 0.8767, 0.9069),
    ]

    private func versusSeed() throws(Failure) {
        guard let compare = lastCompare, let rows = compare["rows"]?.arrayValue else {
            throw .usage("vs-seed needs a 'compare' earlier in this session.")
        }
        func row(_ arm: String) -> JSONValue? { rows.first { $0["arm"]?.stringValue == arm } }
        var table = Table(["Loss Function", "Source", "Recall", "Precision", "F1-Score", "Threshold"], leftColumns: [0, 1])
        var json: [JSONValue] = []
        for seed in Self.seedFigures {
            table.add([seed.label, "seed paper (reported)", Fmt.num(seed.recall), Fmt.num(seed.precision), Fmt.num(seed.f1), "0.500"])
            json.append(["arm": .string(seed.arm), "source": "seed", "recall": .double(seed.recall), "precision": .double(seed.precision), "f1": .double(seed.f1)])
            if let ours = row(seed.arm) {
                table.add([seed.label, "ours (compare \(compare["run"]?.stringValue ?? ""))", Fmt.num(ours["recall"]?.doubleValue),
                           Fmt.num(ours["precision"]?.doubleValue), Fmt.num(ours["f1"]?.doubleValue), Fmt.num(ours["threshold"]?.doubleValue, 3)])
                json.append(["arm": .string(seed.arm), "source": "ours", "recall": ours["recall"] ?? .null,
                             "precision": ours["precision"] ?? .null, "f1": ours["f1"] ?? .null])
            }
        }
        let reading = Self.reading(compare: compare, sweep: lastSweep)
        if options.json {
            Out.line(JSONWriter.string(["rows": .array(json), "reading": .string(reading)]))
            return
        }
        Out.line(table.render(terminal))
        Out.line("  Reading: " + reading)
    }

    /// One honest sentence on how our numbers differ from the seed's, computed from the results.
    static func reading(compare: JSONValue, sweep: JSONValue?) -> String {
        let rows = compare["rows"]?.arrayValue ?? []
        func row(_ arm: String) -> JSONValue? { rows.first { $0["arm"]?.stringValue == arm } }
        func value(_ arm: String, _ key: String) -> Double? { row(arm)?[key]?.doubleValue }
        var parts: [String] = []
        if let f1 = value("ce", "f1") {
            let seed = seedFigures[0].f1
            parts.append("CE \(abs(f1 - seed) < 0.1 ? "agrees with" : "differs from") the seed (F1 \(Fmt.num(f1, 3)) against \(Fmt.num(seed, 3)))")
        }
        if let r = value("wce_inverse", "recall"), let p = value("wce_inverse", "precision") {
            if p < 0.5 {
                parts.append("our WCE at threshold 0.5 trades most of the precision for recall (recall \(Fmt.num(r, 3)), precision \(Fmt.num(p, 3)) where the seed reports \(Fmt.num(seedFigures[1].precision, 3)))")
            } else {
                parts.append("our WCE at threshold 0.5 reaches recall \(Fmt.num(r, 3)) at precision \(Fmt.num(p, 3)) (the seed: \(Fmt.num(seedFigures[1].recall, 3)), \(Fmt.num(seedFigures[1].precision, 3)))")
            }
        }
        var recover: [String] = []
        if let f = value("ce_best_f1", "f1"), let t = value("ce_best_f1", "threshold") {
            recover.append("moving CE's threshold to \(Fmt.num(t, 3)) (F1 \(Fmt.num(f, 3)))")
        }
        if let sweep, let best = sweep["best"], let w = best["value"]?.doubleValue, let mean = best["mean"]?.doubleValue {
            let param = sweep["param"]?.stringValue ?? "w"
            var text = "choosing \(param) by cross-validation (best \(param)=\(Fmt.compact(w))\(param == "w" && w == 0.5 ? ", i.e. no weighting" : ""), \(sweep["metric"]?.stringValue ?? "f1") \(Fmt.num(mean, 3))"
            if let last = sweep["results"]?.arrayValue?.last, let lw = last["value"]?.doubleValue, let lm = last["mean"]?.doubleValue, lw != w {
                text += "; \(param)=\(Fmt.compact(lw)) gives \(Fmt.num(lm, 3))"
            }
            recover.append(text + ")")
        }
        if !recover.isEmpty { parts.append(recover.joined(separator: " and ") + " recover F1") }
        return parts.isEmpty ? "no CE or WCE row to compare." : parts.joined(separator: "; ") + "."
    }
}
