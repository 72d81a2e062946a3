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
        for (index, choice) in requested.enumerated() {
            let field = "candidates[\(index)]"
            let candidate: TuneCandidate
            let wireCandidate: WireCandidate
            switch choice {
            case .named(let name):
                guard let known = defaults.all.first(where: { $0.name == name }) else {
                    let names = defaults.all.map(\.name)
                    let hint = Suggestion.closest(to: name, among: names, maxDistance: 2).map { " Did you mean '\($0)'?" } ?? ""
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
        settings = TuneSettings(candidates: candidates, objective: objective, calibration: calibration, folds: folds,
                                repeats: params.repeats, estimate: estimate, base: base, l2: params.l2)
        wireCandidates = wire
        let spec = params.objective ?? .init(type: .f1)
        self.objective = ExperimentTune.ObjectiveReport(type: spec.type, name: objective.name, higherIsBetter: objective.higherIsBetter,
                                                        beta: spec.beta, precision: spec.precision, recall: spec.recall, fp: spec.fp,
                                                        fn: spec.fn, matrix: spec.matrix)
    }

    // MARK: Objective, calibration, estimate

    /// The objective with its parameters checked, each at its own path, and its type at
    /// `objective.type` when it does not apply to data of `classCount` classes.
    static func objective(_ spec: ExperimentTune.Objective, classCount: Int) throws -> TuneObjective {
        let parameters: [(name: String, given: Bool)] = [
            ("beta", spec.beta != nil), ("precision", spec.precision != nil), ("recall", spec.recall != nil),
            ("fp", spec.fp != nil), ("fn", spec.fn != nil), ("matrix", spec.matrix != nil),
        ]
        let takes: Set<String> = switch spec.type {
        case .fbeta: ["beta"]
        case .recallAtPrecision: ["precision"]
        case .precisionAtRecall: ["recall"]
        case .cost: ["fp", "fn", "matrix"]
        case .f1, .balancedAccuracy, .mcc: []
        }
        for parameter in parameters where parameter.given && !takes.contains(parameter.name) {
            throw RPCError.invalidParams("The field 'objective.\(parameter.name)' does not apply to the objective '\(spec.type.rawValue)'.",
                                         field: "objective.\(parameter.name)")
        }
        let multiclass = classCount > 2
        func binaryOnly() throws {
            guard multiclass else { return }
            throw RPCError.invalidParams(
                "The objective '\(spec.type.rawValue)' needs binary data; this dataset has \(classCount) classes (multiclass objectives: f1, balanced_accuracy, mcc, cost with a matrix).",
                field: "objective.type")
        }
        func fraction(_ value: Double?, _ name: String) throws -> Double {
            guard let value else {
                throw RPCError.invalidParams("The objective '\(spec.type.rawValue)' needs 'objective.\(name)'.", field: "objective.\(name)")
            }
            guard value > 0, value <= 1 else {
                throw RPCError.invalidParams("objective.\(name) must be above 0 and at most 1, got \(value).", field: "objective.\(name)")
            }
            return value
        }
        let objective: TuneObjective
        switch spec.type {
        case .f1: objective = .f1
        case .balancedAccuracy: objective = .balancedAccuracy
        case .mcc: objective = .mcc
        case .fbeta:
            try binaryOnly()
            guard let beta = spec.beta else {
                throw RPCError.invalidParams("The objective 'fbeta' needs 'objective.beta' (2 weighs recall twice as much as precision).",
                                             field: "objective.beta")
            }
            guard beta > 0, beta.isFinite else {
                throw RPCError.invalidParams("objective.beta must be above 0, got \(beta).", field: "objective.beta")
            }
            objective = .fBeta(beta)
        case .recallAtPrecision:
            try binaryOnly()
            objective = .recallAtPrecision(try fraction(spec.precision, "precision"))
        case .precisionAtRecall:
            try binaryOnly()
            objective = .precisionAtRecall(try fraction(spec.recall, "recall"))
        case .cost:
            objective = try cost(spec, classCount: classCount, binaryOnly: binaryOnly)
        }
        try WirePaths(overrides: [.objective: "objective"]).translating { try objective.validate(classCount: classCount) }
        return objective
    }

    private static func cost(_ spec: ExperimentTune.Objective, classCount: Int, binaryOnly: () throws -> Void) throws -> TuneObjective {
        if let matrix = spec.matrix {
            if spec.fp != nil || spec.fn != nil {
                throw RPCError.invalidParams("A cost is either fp and fn, or a matrix, not both.", field: spec.fp != nil ? "objective.fp" : "objective.fn")
            }
            guard matrix.count == classCount, matrix.allSatisfy({ $0.count == classCount }) else {
                throw RPCError.invalidParams(
                    "objective.matrix must be \(classCount) × \(classCount) (C[truth][predicted], one row and column per class of the dataset).",
                    field: "objective.matrix")
            }
            guard matrix.joined().allSatisfy({ $0.isFinite && $0 >= 0 }) else {
                throw RPCError.invalidParams("Every cost in objective.matrix must be finite and at least 0.", field: "objective.matrix")
            }
            guard matrix.joined().contains(where: { $0 > 0 }) else {
                throw RPCError.invalidParams("objective.matrix is all zeros: no decision would cost anything.", field: "objective.matrix")
            }
            return .costMatrix(matrix)
        }
        try binaryOnly()
        guard let fp = spec.fp, let fn = spec.fn else {
            throw RPCError.invalidParams("The objective 'cost' needs 'objective.fp' and 'objective.fn' (the cost of a false positive and of a false negative), or 'objective.matrix'.",
                                         field: spec.fp == nil ? "objective.fp" : "objective.fn")
        }
        for (value, name) in [(fp, "fp"), (fn, "fn")] where !(value >= 0 && value.isFinite) {
            throw RPCError.invalidParams("objective.\(name) must be finite and at least 0, got \(value).", field: "objective.\(name)")
        }
        guard fp > 0 || fn > 0 else {
            throw RPCError.invalidParams("objective.fp and objective.fn are both 0: no decision would cost anything.", field: "objective.fn")
        }
        return .cost(falsePositive: fp, falseNegative: fn)
    }

    static func calibration(_ name: CalibrationName, classCount: Int) throws -> CalibrationMethod {
        switch name {
        case .none: return .none
        case .prior: return .prior
        case .platt: return .platt
        case .isotonic:
            guard classCount == 2 else {
                throw RPCError.invalidParams(
                    "isotonic calibration needs binary data; this dataset has \(classCount) classes (use platt, which is temperature scaling on multiclass data, or prior).",
                    field: "calibrate")
            }
            return .isotonic
        }
    }

    static func estimate(_ params: ExperimentTune.Params) throws -> HonestEstimateMethod {
        let method = params.estimate ?? .holdout
        if params.holdout != nil, method != .holdout {
            throw RPCError.invalidParams("holdout is the fraction of an estimate 'holdout'; this request's estimate is '\(method.rawValue)'.",
                                         field: "holdout")
        }
        if params.outerFolds != nil, method != .nested {
            throw RPCError.invalidParams("outer_folds belongs to an estimate 'nested'; this request's estimate is '\(method.rawValue)'.",
                                         field: "outer_folds")
        }
        switch method {
        case .holdout:
            let fraction = params.holdout ?? defaultHoldout
            guard fraction > 0, fraction <= 0.5 else {
                throw RPCError.invalidParams("holdout must be above 0 and at most 0.5, got \(fraction).", field: "holdout")
            }
            return .holdout(fraction: fraction)
        case .nested:
            let outer = params.outerFolds ?? defaultOuterFolds
            guard (2...10).contains(outer) else {
                throw RPCError.invalidParams("outer_folds must be from 2 to 10, got \(outer).", field: "outer_folds")
            }
            return .nested(outerFolds: outer)
        case .none:
            return .none
        }
    }

    // MARK: Candidates

    /// The default candidates for this data and grid (`listed`), and every one a name may pick
    /// (`all`: the listed ones and `mlp`).
    private static func defaultCandidates(_ params: ExperimentTune.Params, classCount: Int) throws
        -> (listed: [TuneCandidate], all: [TuneCandidate]) {
        if let w = params.grid?.w {
            guard classCount == 2 else {
                throw RPCError.invalidParams("grid.w is the rare class's weight of binary data; this dataset has \(classCount) classes.",
                                             field: "grid.w")
            }
            for (index, value) in w.enumerated() {
                guard value > 0, value < 1 else {
                    throw RPCError.invalidParams("A weight w must lie strictly between 0 and 1, got \(value).", field: "grid.w[\(index)]")
                }
                if w[..<index].contains(value) {
                    throw RPCError.invalidParams("The weight \(value) is listed more than once.", field: "grid.w[\(index)]")
                }
            }
        }
        for (index, value) in (params.grid?.gamma ?? []).enumerated() {
            guard value >= 0, value.isFinite else {
                throw RPCError.invalidParams("A focal γ must be finite and at least 0, got \(value).", field: "grid.gamma[\(index)]")
            }
            if params.grid!.gamma![..<index].contains(value) {
                throw RPCError.invalidParams("The γ \(value) is listed more than once.", field: "grid.gamma[\(index)]")
            }
        }
        let listed = TuneCandidate.defaults(classCount: classCount, wGrid: params.grid?.w, gammaGrid: params.grid?.gamma,
                                            includeMLP: params.includeMLP ?? false)
        let all = TuneCandidate.defaults(classCount: classCount, wGrid: params.grid?.w, gammaGrid: params.grid?.gamma, includeMLP: true)
        return (listed, all)
    }

    /// A candidate of the user's own: its loss as `model/train` takes it (class weights checked on
    /// the data now, so a bad one is refused before any fit), resampling and model.
    private static func custom(_ custom: ExperimentTune.CustomCandidate, index: Int, data: Dataset) throws
        -> (TuneCandidate, WireCandidate) {
        let field = "candidates[\(index)]"
        let name = custom.name ?? "c\(index + 1)"
        guard !name.isEmpty else { throw RPCError.invalidParams("A candidate's name cannot be empty.", field: "\(field).name") }
        let spec = custom.loss ?? LossSpec(type: .ce)
        if spec.type != .focal {
            if spec.gamma != nil { throw RPCError.invalidParams("'gamma' applies to the focal loss only.", field: "\(field).loss.gamma") }
            if spec.alpha != nil { throw RPCError.invalidParams("'alpha' applies to the focal loss only.", field: "\(field).loss.alpha") }
        }
        if spec.type == .ce && spec.weights != nil {
            throw RPCError.invalidParams("Plain cross-entropy takes no class weights; use {\"type\": \"wce\", \"weights\": …}.",
                                         field: "\(field).loss.weights")
        }
        var weights: WeightScheme?
        if let weightSpec = spec.weights ?? (spec.type == .wce ? WeightSpec(scheme: .inverse) : nil) {
            let prefix = "\(field).loss.weights."
            let scheme = try WeightScheme(weightSpec, at: prefix)
            _ = try WirePaths(weightsPrefix: prefix).translating {
                try ClassWeights.compute(scheme, classCounts: data.classCounts, classLabels: data.classLabels,
                                         positiveClass: data.positiveClass)
            }
            weights = scheme
        }
        let loss: LossKind
        var wireLoss = spec
        switch spec.type {
        case .ce, .wce:
            loss = .crossEntropy
        case .focal:
            let gamma = spec.gamma ?? 2
            guard gamma >= 0, gamma.isFinite else {
                throw RPCError.invalidParams("The focal γ must be finite and at least 0, got \(gamma).", field: "\(field).loss.gamma")
            }
            // model/train's default α, so that the winner's config trains the same loss.
            let alpha = spec.alpha ?? (data.classCount == 2 ? 0.25 : nil)
            if let alpha, !(alpha > 0 && alpha < 1) {
                throw RPCError.invalidParams("The focal α must lie strictly between 0 and 1, got \(alpha).", field: "\(field).loss.alpha")
            }
            loss = .focal(gamma: gamma, alpha: alpha)
            wireLoss.gamma = gamma
            wireLoss.alpha = alpha
        }
        var sampling: CandidateSampling?
        if let resample = custom.resample {
            let ratio = resample.ratio ?? ResampleSpec.defaultRatio
            guard ratio > 0, ratio <= 1 else {
                throw RPCError.invalidParams("ratio must be above 0 and at most 1 (rare rows over majority rows after resampling), got \(ratio).",
                                             field: "\(field).resample.ratio")
            }
            if resample.method == .smote {
                let k = resample.k ?? ResampleSpec.defaultNeighbours
                guard k >= 1 else { throw RPCError.invalidParams("k must be at least 1, got \(k).", field: "\(field).resample.k") }
                sampling = .smote(ratio: ratio, k: k)
            } else {
                if resample.k != nil {
                    throw RPCError.invalidParams("'k' is SMOTE's number of neighbours; it does not apply to '\(resample.method.rawValue)'.",
                                                 field: "\(field).resample.k")
                }
                sampling = resample.method == .over ? .over(ratio: ratio) : .under(ratio: ratio)
            }
        }
        var model: ModelKind?
        if let modelSpec = custom.model {
            if modelSpec.hidden != nil && modelSpec.type != .mlp {
                throw RPCError.invalidParams("'hidden' applies to the mlp model only.", field: "\(field).model.hidden")
            }
            if modelSpec.type == .logistic && data.classCount != 2 {
                throw RPCError.invalidParams("The logistic model needs binary data; this dataset has \(data.classCount) classes (use softmax).",
                                             field: "\(field).model.type")
            }
            for (layer, size) in (modelSpec.hidden ?? []).enumerated() where size < 1 {
                throw RPCError.invalidParams("A hidden layer needs at least 1 unit, got \(size).", field: "\(field).model.hidden[\(layer)]")
            }
            model = try ModelKind(modelSpec.type, hidden: modelSpec.hidden ?? [32])
        }
        let candidate = TuneCandidate(name: name, loss: loss, weights: weights, sampling: sampling, model: model,
                                      summary: Self.summary(spec: wireLoss, resample: custom.resample, model: custom.model))
        return (candidate, WireCandidate(loss: wireLoss, resample: custom.resample))
    }

    /// One line for a candidate of the user's own: "wce (binary w 0.8), SMOTE 1:1 (k 5), mlp [16]".
    private static func summary(spec: LossSpec, resample: ResampleSpec?, model: ModelSpec?) -> String {
        var parts: [String] = []
        var loss = spec.type.rawValue
        if let weights = spec.weights {
            var scheme = weights.scheme?.rawValue ?? "inverse"
            if let w = weights.w { scheme += " w \(TuneCandidate.shortest(w))" }
            if let beta = weights.beta { scheme += " β \(TuneCandidate.shortest(beta))" }
            loss += " (\(scheme) weights)"
        } else if spec.type == .wce {
            loss += " (inverse weights)"
        }
        if spec.type == .focal {
            loss += ", γ \(TuneCandidate.shortest(spec.gamma ?? 2))"
            if let alpha = spec.alpha { loss += ", α \(TuneCandidate.shortest(alpha))" }
        }
        parts.append(loss)
        if let resample {
            let ratio = TuneCandidate.shortest(resample.ratio ?? ResampleSpec.defaultRatio)
            var text = "\(resample.method.rawValue)-sampling to ratio \(ratio)"
            if resample.method == .smote { text = "SMOTE to ratio \(ratio) (k \(resample.k ?? ResampleSpec.defaultNeighbours))" }
            parts.append(text)
        }
        if let model {
            parts.append(model.type.rawValue + (model.hidden.map { " \($0)" } ?? ""))
        }
        return parts.joined(separator: ", ")
    }
}

extension TunePlan.WireCandidate {
    /// A default candidate in `model/train`'s shapes.
    init(_ candidate: TuneCandidate, data: Dataset) throws {
        var loss: LossSpec
        switch candidate.loss {
        case .crossEntropy: loss = LossSpec(type: candidate.weights == nil ? .ce : .wce)
        case .focal(let gamma, let alpha): loss = LossSpec(type: .focal, gamma: gamma, alpha: alpha)
        }
        loss.weights = candidate.weights.map(WeightSpec.init)
        let resample: ResampleSpec? = switch candidate.sampling {
        case .over(let ratio)?: ResampleSpec(method: .over, ratio: ratio)
        case .under(let ratio)?: ResampleSpec(method: .under, ratio: ratio)
        case .smote(let ratio, let k)?: ResampleSpec(method: .smote, ratio: ratio, k: k)
        case nil: nil
        }
        self.init(loss: loss, resample: resample)
    }
}

extension WeightSpec {
    /// A scheme as `weights/compute` and a loss's `weights` take it.
    init(_ scheme: WeightScheme) {
        switch scheme {
        case .inverse: self.init(scheme: .inverse)
        case .balanced: self.init(scheme: .balanced)
        case .inverseSqrt: self.init(scheme: .inverseSqrt)
        case .effectiveNumber(let beta): self.init(scheme: .effectiveNumber, beta: beta)
        case .binary(let w): self.init(scheme: .binary, w: w)
        case .custom(let weights): self.init(scheme: .custom, weights: weights)
        case .cost(let cost): self.init(scheme: .cost, cost: cost)
        }
    }
}
