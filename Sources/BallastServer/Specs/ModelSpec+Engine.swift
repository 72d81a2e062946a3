import BallastML
import BallastProtocol

// `model`: the shape of the network, both ways.

extension ModelKind {
    /// A request's model: logistic for binary data and softmax otherwise by default; an mlp's
    /// hidden layers default to one of 32 units.
    init(requested spec: ModelSpec?, classes: Int) throws(RPCError) {
        let type = spec?.type ?? (classes == 2 ? .logistic : .softmax)
        if spec?.hidden != nil && type != .mlp {
            throw .invalidParams("'hidden' applies to the mlp model only.", field: "model.hidden")
        }
        try self.init(type, hidden: spec?.hidden ?? [32])
    }

    /// A model as written by `ModelSpec(_:)`: an mlp must list its hidden layers.
    init(exactly spec: ModelSpec, at prefix: String) throws(RPCError) {
        try self.init(spec.type, hidden: try SpecField.required(spec.hidden, prefix + "model.hidden", for: "an mlp"))
    }
}

extension ModelSpec {
    init(_ kind: ModelKind) {
        switch kind {
        case .logistic: self.init(type: .logistic)
        case .softmax: self.init(type: .softmax)
        case .mlp(let hidden): self.init(type: .mlp, hidden: hidden)
        }
    }
}
