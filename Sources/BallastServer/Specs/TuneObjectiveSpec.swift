import BallastML
import BallastProtocol

// `experiment/tune`'s objective, calibration and estimate: what is measured, how probabilities are
// recalibrated, how the choice is checked on unseen rows; each refused at its own wire path.

extension TunePlan {
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

    static func cost(_ spec: ExperimentTune.Objective, classCount: Int, binaryOnly: () throws -> Void) throws -> TuneObjective {
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

    /// The estimate asked for. The default is nested: selection and the final model use every
    /// row. A holdout fraction given alone asks for a holdout, as outer_folds alone asks for nested.
    static func estimateName(_ params: ExperimentTune.Params) -> EstimateName {
        params.estimate ?? (params.holdout != nil ? .holdout : .nested)
    }

    static func estimate(_ params: ExperimentTune.Params) throws -> HonestEstimateMethod {
        let method = estimateName(params)
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
}
