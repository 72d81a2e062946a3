import BallastML
import BallastProtocol

// `loss`: cross-entropy, the seed's weighted cross-entropy and focal loss, both ways.

extension LossKind {
    /// A request's loss and the class weights its `weights` work out on `data`. `wce` without
    /// weights takes the seed's inverse weights; focal loss defaults to γ 2 and, on binary data,
    /// α 0.25 (Lin et al.).
    static func requested(_ spec: LossSpec?, data: Dataset) throws -> (kind: LossKind, name: LossName, classWeights: [Double]?) {
        let type = spec?.type ?? .ce
        if type != .focal {
            if spec?.gamma != nil { throw RPCError.invalidParams("'gamma' applies to the focal loss only.", field: "loss.gamma") }
            if spec?.alpha != nil { throw RPCError.invalidParams("'alpha' applies to the focal loss only.", field: "loss.alpha") }
        }
        if type == .ce && spec?.weights != nil {
            throw RPCError.invalidParams("Plain cross-entropy takes no class weights; use {\"type\": \"wce\", \"weights\": …}.", field: "loss.weights")
        }
        var classWeights: [Double]?
        if let weights = spec?.weights ?? (type == .wce ? WeightSpec(scheme: .inverse) : nil) {
            let scheme = try WeightScheme(weights, at: WirePaths.training.weightsPrefix)
            classWeights = try WirePaths.training.translating {
                try ClassWeights.compute(scheme, classCounts: data.classCounts, classLabels: data.classLabels,
                                         positiveClass: data.positiveClass).weights
            }
        }
        switch type {
        case .focal:
            let alpha = spec?.alpha ?? (data.classCount == 2 ? 0.25 : nil)
            return (.focal(gamma: spec?.gamma ?? 2, alpha: alpha), type, classWeights)
        case .ce, .wce:
            return (.crossEntropy, type, classWeights)
        }
    }

    /// A loss as written by `LossSpec(_:name:)`: focal loss must give its γ.
    init(exactly spec: LossSpec, at prefix: String) throws(RPCError) {
        switch spec.type {
        case .ce, .wce: self = .crossEntropy
        case .focal: self = .focal(gamma: try SpecField.required(spec.gamma, prefix + "loss.gamma", for: "the focal loss"), alpha: spec.alpha)
        }
    }
}

extension LossSpec {
    /// The loss under its name; its class weights are the config's `class_weights`.
    init(_ kind: LossKind, name: LossName) {
        self.init(type: name)
        if case .focal(let gamma, let alpha) = kind {
            self.gamma = gamma
            self.alpha = alpha
        }
    }
}
