import BallastClient
import BallastProtocol
import Foundation

/// After each restart, compares what the daemon kept with what its clients were told before the
/// kill. Every acknowledged run must be `completed` with its reply's metrics and every
/// acknowledged model must predict as before; a run the kill caught must be `interrupted` (or,
/// when it ended just before the kill and only its reply was lost, `completed`, `cancelled` or
/// `failed`), or absent when it had not begun; no run may be `running`; every kept run's events
/// are `seq` 1…n and agree with what `$/progress` published; every dataset an acknowledged request
/// stored is back, with the rows and classes its reply gave.
///
/// Cheap checks (listed, status, metrics) are repeated at every restart for every run so far, so a
/// later kill that damaged earlier work is caught; the costly ones (events, params, predictions)
/// are done once per run, at the first restart after it, and for every model at the last.
final class RestartCheck {
    private(set) var figures = DurabilityFigures()
    /// The status each unanswered run was first found in, by token: it must not change later.
    private var firstSeen: [String: RunStatusName] = [:]
    /// The token each stored run's params carry, by run id (found once, with `run/describe`).
    private var tokenOfRun: [String: String] = [:]
    private var deeplyChecked: Set<String> = []
    private var predictionsChecked: Set<String> = []

    func counted(kill: Bool = false, startupKill: Bool = false, restart: Bool = false, requests: Int = 0) {
        if kill { figures.kills += 1 }
        if startupKill { figures.startupKills += 1 }
        if restart { figures.restarts += 1 }
        figures.requests += requests
    }

    func seed(_ seed: UInt64, rounds: Int) {
        figures.seed = seed
        figures.rounds = rounds
    }

    func check(_ client: Client, ledger: DurabilityLedger, allPredictions: Bool = false) throws {
        let stored = try listAllRuns(client)
        let runsByID = Dictionary(stored.map { ($0.run, $0) }, uniquingKeysWith: { first, _ in first })
        let models = Set(try client.call(ModelList.self, NoParams()).models.map(\.name))
        for summary in stored where summary.status == .running {
            figures.fail(\.otherwiseWrong, summary.run, "run \(summary.run) is still 'running' after the restart")
        }
        try checkDatasets(client, ledger: ledger)
        let sent = ledger.runs
        let tokens = Set(sent.map(\.token))
        for summary in stored where tokenOfRun[summary.run] == nil {
            let described = try client.call(RunDescribe.self, .init(run: summary.run))
            guard let token = described.params["progress_token"]?.stringValue, tokens.contains(token) else {
                figures.fail(\.otherwiseWrong, summary.run, "run \(summary.run) was made by no request of the loop "
                             + "(params \(JSONWriter.string(described.params)))")
                continue
            }
            tokenOfRun[summary.run] = token
        }
        let runOfToken = Dictionary(tokenOfRun.map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        let predictions = ledger.predictions
        for run in sent {
            let id = run.run ?? runOfToken[run.token]
            let summary = id.flatMap { runsByID[$0] }
            switch run.outcome {
            case .acknowledged(let reply):
                try checkAcknowledged(run, reply: reply, summary: summary, models: models, client: client)
                if let model = run.model, let prediction = predictions[model], models.contains(model),
                   allPredictions || !predictionsChecked.contains(model) {
                    predictionsChecked.insert(model)
                    try checkPrediction(model, prediction, client: client)
                }
            case .refused(let code, let message):
                if figures.refused.insert(run.token).inserted { figures.refusals["\(code) \(message)", default: 0] += 1 }
            case .unanswered:
                try checkUnanswered(run, summary: summary, models: models, client: client)
            }
        }
    }

    private func checkAcknowledged(_ run: SentRun, reply: JSONValue, summary: RunSummary?, models: Set<String>,
                                   client: Client) throws {
        figures.acknowledgedRuns.insert(run.token)
        if let seconds = reply["seconds"]?.doubleValue ?? reply["rows"]?.arrayValue?.compactMap({ $0["seconds"]?.doubleValue }).reduce(0, +) {
            figures.runSeconds[run.token] = seconds
        }
        if let model = run.model {
            figures.acknowledgedModels.insert(model)
            if !models.contains(model) {
                figures.fail(\.lostModels, model, "model \(model) (\(run.token), acknowledged) is not in model/list")
            }
        }
        guard let summary else {
            return figures.fail(\.lostRuns, run.token, "run \(run.run ?? "?") (\(run.token), \(run.method), "
                                + "acknowledged) is not in run/list")
        }
        if summary.status != .completed {
            figures.fail(\.changedRuns, run.token, "run \(summary.run) (\(run.token), acknowledged) is "
                         + "'\(summary.status.rawValue)', not 'completed'")
        }
        let differences = ReplyComparison.metricDifferences(stored: summary.metrics, reply: reply)
        if !differences.isEmpty {
            figures.fail(\.changedRuns, run.token, "run \(summary.run) (\(run.token)) keeps other metrics than its "
                         + "reply: \(differences.prefix(4).joined(separator: "; "))")
        }
        try checkDeeply(run, summary: summary, client: client, reply: reply)
    }

    private func checkUnanswered(_ run: SentRun, summary: RunSummary?, models: Set<String>, client: Client) throws {
        guard let summary else {
            if run.heard.isEmpty {
                figures.notBegun.insert(run.token)
            } else {
                figures.fail(\.otherwiseWrong, run.token, "run \(run.run ?? "?") (\(run.token)) was seen going "
                             + "(\(run.heard.count) records published) but is not in run/list")
            }
            return
        }
        if let first = firstSeen[run.token] {
            if first != summary.status {
                figures.fail(\.otherwiseWrong, run.token, "run \(summary.run) (\(run.token)) was '\(first.rawValue)' "
                             + "after one restart and is '\(summary.status.rawValue)' after a later one")
            }
        } else {
            firstSeen[run.token] = summary.status
        }
        switch summary.status {
        case .interrupted: figures.interrupted.insert(run.token)
        case .completed:
            figures.completedUnanswered.insert(run.token)
            if let model = run.model, !models.contains(model) { figures.completedWithoutModel.insert(run.token) }
        case .cancelled, .failed: figures.endedOtherwiseUnanswered.insert(run.token)
        case .running: break   // failed above
        }
        try checkDeeply(run, summary: summary, client: client, reply: nil)
    }

    /// Once per run: its params as sent, its events gap-free and agreeing with what was published.
    private func checkDeeply(_ run: SentRun, summary: RunSummary, client: Client, reply: JSONValue?) throws {
        guard deeplyChecked.insert(run.token).inserted else { return }
        let id = summary.run
        let described = try client.call(RunDescribe.self, .init(run: id))
        if described.params != run.params {
            figures.fail(\.changedRuns, run.token, "run \(id) (\(run.token)) keeps other params than were sent: "
                         + "\(JSONWriter.string(described.params))")
        }
        let events = try client.call(RunEvents.self, .init(run: id))
        let seqs = events.events.map { $0.seq ?? -1 }
        func broken(_ why: String) { figures.fail(\.brokenEvents, run.token, "run \(id) (\(run.token), \(summary.status.rawValue)): \(why)") }
        if seqs != Array(0..<seqs.count).map({ $0 + 1 }) {
            broken("its events are not seq 1…n but \(ReplyComparison.ranges(seqs))")
        }
        if let stranger = events.events.first(where: { $0.run != id }) {
            broken("event \(stranger.seq ?? -1) names run \(stranger.run ?? "nil")")
        }
        if described.eventCount != events.events.count {
            broken("run/describe counts \(described.eventCount) events, run/events returns \(events.events.count)")
        }
        if !events.complete { broken("run/events says more records will follow, but the run has ended") }
        if let first = events.events.first, first.kind != .begin { broken("its first event is '\(first.kind.rawValue)'") }
        if summary.status == .interrupted {
            figures.interruptedEventsKept += events.events.count
            figures.interruptedEventsPublished += run.heard.keys.max() ?? 0
        }
        if summary.status == .completed {
            if events.events.last?.kind != .end { broken("it completed, but its last event is not 'end'") }
            if let last = run.heard.keys.max(), last > events.events.count {
                broken("it completed, but keeps \(events.events.count) events of the \(last) published")
            }
        }
        for event in events.events {
            if let seq = event.seq, let published = run.heard[seq], published != event {
                broken("event \(seq) differs from the one published: kept \(event.kind.rawValue) step "
                       + "\(event.step.map(String.init) ?? "-"), published \(published.kind.rawValue) step "
                       + "\(published.step.map(String.init) ?? "-")")
                break
            }
        }
        if let reply, let kept = described.result {
            let differences = ReplyComparison.jsonDifferences(kept: kept, reply: reply, path: "")
            if !differences.isEmpty {
                figures.fail(\.changedRuns, run.token, "run \(id) (\(run.token)): run/describe's result differs "
                             + "from the reply: \(differences.prefix(4).joined(separator: "; "))")
            }
        }
    }

    /// Every dataset an acknowledged request stored is back; when no request touched it after the
    /// last acknowledged one, with the rows and classes that reply gave. (An unanswered request
    /// after it may have replaced it, or not: then either is right.)
    private func checkDatasets(_ client: Client, ledger: DurabilityLedger) throws {
        let list = try client.call(DatasetList.self, NoParams())
        let present = Dictionary(list.datasets.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let unavailable = Dictionary((list.unavailable ?? []).map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var requestsByName: [String: [SentDatasets]] = [:]
        for sent in ledger.datasets {
            for name in sent.names {
                requestsByName[name, default: []].append(sent)
                if sent.acknowledged != nil { figures.acknowledgedDatasets.insert("\(sent.id).\(name)") }
            }
        }
        for (name, requests) in requestsByName.sorted(by: { $0.key < $1.key }) {
            guard let acknowledged = requests.last(where: { $0.acknowledged != nil }) else { continue }
            let key = "\(acknowledged.id).\(name)"
            guard let kept = present[name] else {
                let why = unavailable[name].map { "\($0.reason.rawValue): \($0.message)" } ?? "it is not in dataset/list"
                figures.fail(\.lostDatasets, key, "dataset \(name) (stored by an acknowledged \(acknowledged.method) in round "
                             + "\(acknowledged.round)) did not come back: \(why)")
                continue
            }
            guard requests.last?.id == acknowledged.id, let replied = acknowledged.acknowledged?[name] else { continue }
            let keptClasses = try JSONValue(encoding: kept.classes)
            if replied["rows"]?.intValue != Int64(kept.rows) || replied["classes"] != keptClasses {
                figures.fail(\.changedDatasets, key, "dataset \(name) holds \(kept.rows) rows, classes "
                             + "\(JSONWriter.string(keptClasses)) after the restart; its reply said \(replied["rows"]?.intValue ?? -1), "
                             + "\(JSONWriter.string(replied["classes"] ?? .null))")
            }
        }
    }

    private func checkPrediction(_ model: String, _ prediction: Prediction, client: Client) throws {
        let now = try client.call(ModelPredict.method, params: ["model": .string(model), "rows": prediction.rows])
        if now["probabilities"] != prediction.probabilities {
            figures.fail(\.changedModels, model, "model \(model) predicts \(JSONWriter.string(now["probabilities"] ?? .null)) "
                         + "after the restart, \(JSONWriter.string(prediction.probabilities)) before")
        }
    }

    private func listAllRuns(_ client: Client) throws -> [RunSummary] {
        var runs: [RunSummary] = []
        var offset: Int? = 0
        while let from = offset {
            let page = try client.call(RunList.self, .init(order: .ascending, limit: 1_000, offset: from))
            runs += page.runs
            offset = page.nextOffset
        }
        return runs
    }
}
