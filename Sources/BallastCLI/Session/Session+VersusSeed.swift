import BallastProtocol
import Foundation

/// `vs-seed`: the last comparison's CE and WCE rows beside the seed paper's reported figures.
extension Session {
    /// The seed paper's reported figures (CE and WCE on the credit-card fraud data).
    static let seedFigures: [(arm: ArmName, label: String, recall: Double, precision: Double, f1: Double)] = [
        (.ce, "CE", 0.5345, 0.9034, 0.6703),
        (.wceInverse, "WCE", 0.9397, 0.8767, 0.9069),
    ]

    func versusSeed() throws(Failure) {
        guard let compare = lastCompare, let rows = compare["rows"]?.arrayValue else {
            throw .usage("vs-seed needs a 'compare' earlier in this session.")
        }
        func row(_ arm: ArmName) -> JSONValue? { rows.first { $0["arm"]?.stringValue == arm.rawValue } }
        var table = Table(["Loss Function", "Source", "Recall", "Precision", "F1-Score", "Threshold"], leftColumns: [0, 1])
        var json: [JSONValue] = []
        for seed in Self.seedFigures {
            table.add([seed.label, "seed paper (reported)", Fmt.num(seed.recall), Fmt.num(seed.precision), Fmt.num(seed.f1), "0.500"])
            json.append(["arm": .string(seed.arm.rawValue), "source": "seed", "recall": .double(seed.recall), "precision": .double(seed.precision), "f1": .double(seed.f1)])
            if let ours = row(seed.arm) {
                table.add([seed.label, "ours (compare \(compare["run"]?.stringValue ?? ""))", Fmt.num(ours["recall"]?.doubleValue),
                           Fmt.num(ours["precision"]?.doubleValue), Fmt.num(ours["f1"]?.doubleValue), Fmt.num(ours["threshold"]?.doubleValue, 3)])
                json.append(["arm": .string(seed.arm.rawValue), "source": "ours", "recall": ours["recall"] ?? .null,
                             "precision": ours["precision"] ?? .null, "f1": ours["f1"] ?? .null])
            }
        }
        let reading = Self.reading(compare: compare, sweep: lastSweep)
        if options.json {
            output.line(JSONWriter.string(["rows": .array(json), "reading": .string(reading)]))
            return
        }
        output.line(table.render(terminal))
        output.line("  Reading: " + reading)
    }

    /// One honest sentence on how our numbers differ from the seed's, computed from the results.
    static func reading(compare: JSONValue, sweep: JSONValue?) -> String {
        let rows = compare["rows"]?.arrayValue ?? []
        func row(_ arm: ArmName) -> JSONValue? { rows.first { $0["arm"]?.stringValue == arm.rawValue } }
        func value(_ arm: ArmName, _ key: String) -> Double? { row(arm)?[key]?.doubleValue }
        var parts: [String] = []
        if let f1 = value(.ce, "f1") {
            let seed = seedFigures[0].f1
            parts.append("CE \(abs(f1 - seed) < 0.1 ? "agrees with" : "differs from") the seed (F1 \(Fmt.num(f1, 3)) against \(Fmt.num(seed, 3)))")
        }
        if let r = value(.wceInverse, "recall"), let p = value(.wceInverse, "precision") {
            if p < 0.5 {
                parts.append("our WCE at threshold 0.5 trades most of the precision for recall (recall \(Fmt.num(r, 3)), precision \(Fmt.num(p, 3)) where the seed reports \(Fmt.num(seedFigures[1].precision, 3)))")
            } else {
                parts.append("our WCE at threshold 0.5 reaches recall \(Fmt.num(r, 3)) at precision \(Fmt.num(p, 3)) (the seed: \(Fmt.num(seedFigures[1].recall, 3)), \(Fmt.num(seedFigures[1].precision, 3)))")
            }
        }
        var recover: [String] = []
        if let f = value(.ceBestF1, "f1"), let t = value(.ceBestF1, "threshold") {
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
