/// Folding a calibration into a model's output layer, so the stored model predicts calibrated
/// probabilities directly.
extension Calibrator {
    /// The same model with this calibration folded into its output layer; nil for isotonic.
    ///
    /// With z the output layer's pre-activation: Platt on a sigmoid makes z' = a·z + b (weights × a,
    /// bias × a + b); prior makes z' = z − log(w₊/w₋) on a sigmoid and zₖ' = zₖ − log wₖ on a softmax;
    /// temperature scaling divides a softmax's weights and biases by T. Each is exact: the folded
    /// model's probabilities are the calibrated ones up to float rounding. A model whose classes or
    /// output do not match the calibrator is returned as nil too.
    public func folded(into model: TrainedModel) -> TrainedModel? {
        guard method != .isotonic, var layer = model.layers.last, model.classLabels.count == classCount else { return nil }
        let sigmoid = layer.outputs == 1
        guard sigmoid ? classCount == 2 : layer.outputs == classCount else { return nil }
        let modelPositive = model.positiveClass ?? 1
        switch method {
        case .none, .isotonic:
            return method == .none ? model : nil
        case .prior:
            guard !priorWeights.isEmpty else { return model }
            if sigmoid {
                let shift = Double.log(priorWeights[modelPositive] / priorWeights[1 - modelPositive])
                layer.bias[0] = Float(Double(layer.bias[0]) - shift)
            } else {
                for k in 0..<classCount { layer.bias[k] = Float(Double(layer.bias[k]) - Double.log(priorWeights[k])) }
            }
        case .platt where classCount == 2:
            // On P(model's positive) the intercept keeps its sign; on the other class's it flips.
            let slope = a, intercept = modelPositive == positiveClass ? b : -b
            if sigmoid {
                scale(&layer, rows: 0..<1, by: slope)
                layer.bias[0] = Float(Double(layer.bias[0]) + intercept)
            } else {
                // Two softmax units: z₊' − z₋' = a·(z₊ − z₋) + b.
                scale(&layer, rows: 0..<2, by: slope)
                layer.bias[positiveClass] = Float(Double(layer.bias[positiveClass]) + b)
            }
        case .platt:
            scale(&layer, rows: 0..<classCount, by: 1 / temperature)
        }
        var result = model
        result.layers[result.layers.count - 1] = layer
        return result
    }

    private func scale(_ layer: inout DenseLayer, rows: Range<Int>, by factor: Double) {
        for o in rows {
            for i in 0..<layer.inputs {
                layer.weights[o * layer.inputs + i] = Float(Double(layer.weights[o * layer.inputs + i]) * factor)
            }
            layer.bias[o] = Float(Double(layer.bias[o]) * factor)
        }
    }
}
