import BallastML
import BallastProtocol

// `experiment/tune`'s candidates: the defaults for the data and grid, picked by name, or the
// user's own (loss, resampling, model) checked at `candidates[i]…`; and each in `model/train`'s shapes.

extension TunePlan {
    /// The default candidates for this data and grid (`listed`), and every one a name may pick
    /// (`all`: the listed ones and `mlp`).
    static func defaultCandidates(_ params: ExperimentTune.Params, classCount: Int) throws
        -> (listed: [TuneCandidate], all: [TuneCandidate]) {
        for (key, values) in [("w", params.grid?.w), ("gamma", params.grid?.gamma)] where (values?.count ?? 0) > TrainingLimits.maxGridValues {
            throw RPCError.invalidParams("grid.\(key) has \(values!.count) values; a tune takes at most \(TrainingLimits.maxGridValues).",
                                         field: "grid.\(key)")
        }
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

    /// With a list of candidates, `grid` only names candidates and `include_mlp` only adds one to
    /// the defaults: a grid none of whose names is listed, or `include_mlp` without `mlp` listed,
    /// would be ignored without a word, so it is refused.
    static func checkListedOptionsAreUsed(_ params: ExperimentTune.Params, candidates: [TuneCandidate], classCount: Int) throws {
        let names = Set(candidates.map(\.name))
        if params.includeMLP == true, !names.contains("mlp") {
            throw RPCError.invalidParams(
                "include_mlp adds 'mlp' to the default candidates, but this request lists its own without it: add \"mlp\" to candidates, or leave include_mlp out.",
                field: "include_mlp")
        }
        let grids: [(key: String, values: [Double]?)] = [("w", params.grid?.w), ("gamma", params.grid?.gamma)]
        for (key, values) in grids {
            guard let values, !values.isEmpty else { continue }
            let named = TuneCandidate.defaults(classCount: classCount, wGrid: key == "w" ? values : [],
                                               gammaGrid: key == "gamma" ? values : [], includeMLP: false)
                .map(\.name).filter { $0.hasPrefix(key == "w" ? "wce_w" : "focal_g") }
            if !named.contains(where: names.contains) {
                throw RPCError.invalidParams(
                    "grid.\(key) names the candidates \(named.joined(separator: ", ")), but candidates lists none of them: add their names, or leave grid.\(key) out.",
                    field: "grid.\(key)")
            }
        }
    }

    /// For a name of the grids' shape that the grid lacks (`wce_w0.8`, `focal_g3`): how to add it.
    static func gridHint(_ name: String, classCount: Int) -> String? {
        for (prefix, key, binaryOnly) in [("wce_w", "w", true), ("focal_g", "gamma", false)] where name.hasPrefix(prefix) {
            guard let value = Double(name.dropFirst(prefix.count)), value.isFinite, !binaryOnly || classCount == 2 else { return nil }
            return " To try \(key) = \(TuneCandidate.shortest(value)), give \"grid\": {\"\(key)\": [\(TuneCandidate.shortest(value))]} (it replaces the default \(key) list)."
        }
        return nil
    }

    /// A candidate of the user's own: its loss as `model/train` takes it (class weights checked on
    /// the data now, so a bad one is refused before any fit), resampling and model.
    static func custom(_ custom: ExperimentTune.CustomCandidate, index: Int, data: Dataset) throws
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
    static func summary(spec: LossSpec, resample: ResampleSpec?, model: ModelSpec?) -> String {
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
