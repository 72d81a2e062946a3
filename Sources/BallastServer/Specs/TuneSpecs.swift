import BallastML
import BallastProtocol

/// `experiment/tune`'s params turned into the engine's `TuneSettings`, every check naming the
/// wire path it refuses (`candidates[2].loss.gamma`, `objective.type`, `calibrate`), and what the
/// result needs to say about the request besides the engine's outcome.
struct TunePlan: Sendable {
    var settings: TuneSettings
    /// Each candidate's training in `model/train`'s shapes, by name, for the winner's `config`.
    var wireCandidates: [String: WireCandidate]
    var objective: ExperimentTune.ObjectiveReport

    /// A candidate as `model/train` params would train it.
    struct WireCandidate: Sendable {
        var loss: LossSpec
        var resample: ResampleSpec?
    }

    static let defaultFolds = 5
    static let defaultHoldout = 0.2
    static let defaultOuterFolds = 3

    init(_ params: ExperimentTune.Params, raw: JSONValue?, data: Dataset) throws {
        let classCount = data.classCount
        let base = try TrainingPlan(.init(model: params.model, loss: nil, optimizer: params.optimizer, l2: nil, reduction: nil,
                                          seed: params.seed, earlyStopping: nil, threshold: nil, hasValidation: false),
                                    data: data).config
        if let l2 = params.l2, !(l2 >= 0 && l2.isFinite) {
            throw RPCError.invalidParams("l2 must be 0 or more, got \(l2).", field: "l2")
        }
        let objective = try Self.objective(params.objective ?? .init(type: .f1), classCount: classCount)
        let calibration = try Self.calibration(params.calibrate ?? .none, classCount: classCount)
        let folds = params.folds ?? Self.defaultFolds
        guard (2...100).contains(folds) else {
            throw RPCError.invalidParams("folds must be from 2 to 100, got \(folds).", field: "folds")
        }
        if let repeats = params.repeats, !(1...20).contains(repeats) {
            throw RPCError.invalidParams("repeats must be from 1 to 20, got \(repeats).", field: "repeats")
        }
        let estimate = try Self.estimate(params)
        let defaults = try Self.defaultCandidates(params, classCount: classCount)
        var candidates: [TuneCandidate] = []
        var wire: [String: WireCandidate] = [:]
        let requested = params.candidates ?? defaults.listed.map { .named($0.name) }
        guard !requested.isEmpty else {
            throw RPCError.invalidParams("candidates is empty: name at least one, or leave it out for the default ones.", field: "candidates")
        }
        guard requested.count <= TrainingLimits.maxGridValues else {
            throw RPCError.invalidParams(
                "\(requested.count) candidates is too many: a tune takes at most \(TrainingLimits.maxGridValues) (each trains one model per fold and repeat).",
                field: "candidates")
        }
        for (index, choice) in requested.enumerated() {
            let field = "candidates[\(index)]"
            let candidate: TuneCandidate
            let wireCandidate: WireCandidate
            switch choice {
            case .named(let name):
                guard let known = defaults.all.first(where: { $0.name == name }) else {
                    let names = defaults.all.map(\.name)
                    let hint = Self.gridHint(name, classCount: classCount)
                        ?? Suggestion.closest(to: name, among: names, maxDistance: 2).map { " Did you mean '\($0)'?" } ?? ""
                    let kind = classCount == 2 ? "binary" : "multiclass"
                    throw RPCError(code: ErrorCode.invalidParams,
                                   message: "There is no default candidate named '\(name)' for \(kind) data (candidates: \(names.joined(separator: ", "))); describe your own as an object.\(hint)",
                                   data: ["field": .string(field), "known": .array(names.map { .string($0) })])
                }
                candidate = known
                wireCandidate = try WireCandidate(known, data: data)
            case .custom(let custom):
                try ExperimentTune.CustomCandidate.checkFields(raw?["candidates"]?.arrayValue?[index] ?? .null, path: field)
                (candidate, wireCandidate) = try Self.custom(custom, index: index, data: data)
            }
            if candidates.contains(where: { $0.name == candidate.name }) {
                throw RPCError.invalidParams("The candidate '\(candidate.name)' is listed more than once; each candidate is tried once.",
                                             field: field)
            }
            candidates.append(candidate)
            wire[candidate.name] = wireCandidate
        }
        if params.candidates != nil { try Self.checkListedOptionsAreUsed(params, candidates: candidates, classCount: classCount) }
        settings = TuneSettings(candidates: candidates, objective: objective, calibration: calibration, folds: folds,
                                repeats: params.repeats, estimate: estimate, base: base, l2: params.l2)
        wireCandidates = wire
        let spec = params.objective ?? .init(type: .f1)
        self.objective = ExperimentTune.ObjectiveReport(type: spec.type, name: objective.name, higherIsBetter: objective.higherIsBetter,
                                                        beta: spec.beta, precision: spec.precision, recall: spec.recall, fp: spec.fp,
                                                        fn: spec.fn, matrix: spec.matrix)
    }
}
