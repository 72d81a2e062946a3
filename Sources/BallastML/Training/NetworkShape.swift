/// Where each layer's weights and bias sit in the flat parameter vector θ used while training:
/// layer by layer, the weights (`outputs × inputs`, row-major) and then the bias.
struct NetworkShape: Sendable, Equatable {
    /// Layer widths from the input to the output: `[features, hidden…, outputs]`.
    let sizes: [Int]
    let weightOffsets: [Int]
    let biasOffsets: [Int]
    let parameterCount: Int

    init(sizes: [Int]) {
        precondition(sizes.count >= 2)
        self.sizes = sizes
        var weightOffsets: [Int] = []
        var biasOffsets: [Int] = []
        var offset = 0
        for layer in 0..<(sizes.count - 1) {
            weightOffsets.append(offset)
            offset += sizes[layer] * sizes[layer + 1]
            biasOffsets.append(offset)
            offset += sizes[layer + 1]
        }
        self.weightOffsets = weightOffsets
        self.biasOffsets = biasOffsets
        self.parameterCount = offset
    }

    var layerCount: Int { sizes.count - 1 }
    var inputCount: Int { sizes[0] }
    var outputCount: Int { sizes[sizes.count - 1] }
    /// One output unit: a sigmoid giving P(positive class). Otherwise a softmax over the classes.
    var sigmoidOutput: Bool { outputCount == 1 }
    /// Activations of all layers after the input, laid end to end (scratch size per row).
    var activationCount: Int { sizes.dropFirst().reduce(0, +) }

    /// The shape of `kind` for data with the given feature and class counts.
    static func of(_ kind: ModelKind, features: Int, classes: Int) -> NetworkShape {
        switch kind {
        case .logistic:
            return NetworkShape(sizes: [features, 1])
        case .softmax:
            return NetworkShape(sizes: [features, classes])
        case .mlp(let hidden):
            return NetworkShape(sizes: [features] + hidden + [classes == 2 ? 1 : classes])
        }
    }

    /// ‖W‖² (biases excluded).
    func weightSquares(_ theta: UnsafeBufferPointer<Double>) -> Double {
        var total = 0.0
        for layer in 0..<layerCount {
            var sum = 0.0
            for i in weightOffsets[layer]..<biasOffsets[layer] { sum += theta[i] * theta[i] }
            total += sum
        }
        return total
    }

    /// Adds `l2 · W` to the weight part of `gradient`.
    func addPenaltyGradient(_ theta: UnsafeBufferPointer<Double>, l2: Double,
                            into gradient: UnsafeMutableBufferPointer<Double>) {
        guard l2 != 0 else { return }
        for layer in 0..<layerCount {
            for i in weightOffsets[layer]..<biasOffsets[layer] { gradient[i] += l2 * theta[i] }
        }
    }

    /// The layers of a model with parameters θ (rounded to float32).
    func layers(_ theta: [Double]) -> [DenseLayer] {
        (0..<layerCount).map { layer in
            let w = theta[weightOffsets[layer]..<biasOffsets[layer]].map { Float($0) }
            let b = theta[biasOffsets[layer]..<(biasOffsets[layer] + sizes[layer + 1])].map { Float($0) }
            return DenseLayer(inputs: sizes[layer], outputs: sizes[layer + 1], weights: w, bias: b)
        }
    }

    /// θ of the given layers, or nil if they do not have this shape.
    func parameters(_ layers: [DenseLayer]) -> [Double]? {
        guard layers.count == layerCount else { return nil }
        var theta = [Double](repeating: 0, count: parameterCount)
        for (index, layer) in layers.enumerated() {
            guard layer.inputs == sizes[index], layer.outputs == sizes[index + 1],
                  layer.weights.count == layer.inputs * layer.outputs, layer.bias.count == layer.outputs
            else { return nil }
            for (i, w) in layer.weights.enumerated() { theta[weightOffsets[index] + i] = Double(w) }
            for (i, b) in layer.bias.enumerated() { theta[biasOffsets[index] + i] = Double(b) }
        }
        return theta
    }
}
