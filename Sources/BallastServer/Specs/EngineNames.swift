import BallastML
import BallastProtocol

// The engine's closed lists beside their wire names. The engine's enums carry no strings, and the
// protocol's `WireName` enums carry nothing else: these switches are the only bridge, so the
// compiler points here when either side gains a case.

extension ModelName {
    init(_ kind: ModelKind) {
        switch kind {
        case .logistic: self = .logistic
        case .softmax: self = .softmax
        case .mlp: self = .mlp
        }
    }
}

extension ModelKind {
    /// `hidden` is read for an mlp only.
    init(_ name: ModelName, hidden: @autoclosure () throws(RPCError) -> [Int]) throws(RPCError) {
        switch name {
        case .logistic: self = .logistic
        case .softmax: self = .softmax
        case .mlp: self = .mlp(hidden: try hidden())
        }
    }
}

extension StopReasonName {
    init(_ reason: StopReason) {
        switch reason {
        case .converged: self = .converged
        case .maxIterations: self = .maxIterations
        case .epochs: self = .epochs
        case .earlyStopping: self = .earlyStopping
        case .cancelled: self = .cancelled
        }
    }
}

extension Reduction {
    init(_ name: ReductionName) {
        switch name {
        case .mean: self = .mean
        case .sum: self = .sum
        }
    }
}

extension ReductionName {
    init(_ reduction: Reduction) {
        self = Self.allCases.first { Reduction($0) == reduction }!
    }
}

extension SelectableMetric {
    init(_ name: MetricName) {
        switch name {
        case .f1: self = .f1
        case .prAUC: self = .prAUC
        case .rocAUC: self = .rocAUC
        case .recall: self = .recall
        case .precision: self = .precision
        case .mcc: self = .mcc
        case .balancedAccuracy: self = .balancedAccuracy
        case .gMean: self = .gMean
        case .loss: self = .logLoss
        }
    }
}

extension ComparisonArm {
    init(_ name: ArmName) {
        switch name {
        case .ce: self = .ce
        case .wceInverse: self = .wceInverse
        case .wceBalanced: self = .wceBalanced
        case .focal: self = .focal
        case .over: self = .over
        case .under: self = .under
        case .smote: self = .smote
        case .ceBestF1: self = .ceBestF1
        }
    }
}

extension ArmName {
    init(_ arm: ComparisonArm) {
        self = Self.allCases.first { ComparisonArm($0) == arm }!
    }
}

extension SweepParameter {
    init(_ name: SweepParamName) {
        switch name {
        case .w: self = .w
        case .beta: self = .beta
        case .gamma: self = .gamma
        }
    }
}

extension SyntheticPreset {
    init(_ name: PresetName) {
        switch name {
        case .fraud: self = .fraud
        case .mildImbalance: self = .mildImbalance
        case .balanced: self = .balanced
        case .multiclass: self = .multiclass
        }
    }
}

extension CSVOptions.Header {
    init(_ name: HeaderModeName) {
        switch name {
        case .auto: self = .auto
        case .present: self = .present
        case .absent: self = .absent
        }
    }
}

extension CSVOptions.MissingPolicy {
    init(_ name: MissingPolicyName) {
        switch name {
        case .error: self = .error
        case .dropRows: self = .dropRows
        case .imputeMean: self = .imputeMean
        }
    }
}

extension CSVOptions.BadLinePolicy {
    init(_ name: OnBadLinesName) {
        switch name {
        case .error: self = .error
        case .skip: self = .skip
        }
    }
}

extension CSVOptions.TextEncoding {
    init(_ name: EncodingName) {
        switch name {
        case .auto: self = .auto
        case .utf8: self = .utf8
        case .latin1: self = .latin1
        case .cp1252: self = .cp1252
        }
    }
}

extension CSVOptions.DecimalMark {
    init(_ name: DecimalName) {
        switch name {
        case .auto: self = .auto
        case .point: self = .point
        case .comma: self = .comma
        }
    }
}

extension WeightNormalizationName {
    init(_ normalization: WeightNormalization) {
        switch normalization {
        case .sumTo1: self = .sumTo1
        case .meanSampleWeight1: self = .meanSampleWeight1
        case .sumToK: self = .sumToK
        case .none: self = .none
        }
    }
}

extension DataErrorKindName {
    init(_ kind: DataError.Kind) {
        switch kind {
        case .fileNotFound: self = .fileNotFound
        case .permissionDenied: self = .permissionDenied
        case .isDirectory: self = .isDirectory
        case .empty: self = .empty
        case .headerOnly: self = .headerOnly
        case .raggedRow: self = .raggedRow
        case .notNumeric: self = .notNumeric
        case .missingValue: self = .missingValue
        case .nonFinite: self = .nonFinite
        case .singleClass: self = .singleClass
        case .labelColumnMissing: self = .labelColumnMissing
        case .lineTooLong: self = .lineTooLong
        case .binary: self = .binary
        case .tooManyLevels: self = .tooManyLevels
        case .unknownPositive: self = .unknownPositive
        case .invalidOption: self = .invalidOption
        case .invalidEncoding: self = .invalidEncoding
        case .tooManyClasses: self = .tooManyClasses
        case .continuousLabel: self = .continuousLabel
        case .duplicateColumn: self = .duplicateColumn
        case .notARegularFile: self = .notARegularFile
        }
    }
}
