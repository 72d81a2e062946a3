#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CKernels
import Dispatch

/// Which rows one evaluation covers: all of them in order, or a list of row numbers (a mini-batch).
struct RowSelection {
    var count: Int
    var indices: UnsafeBufferPointer<Int>?

    static func all(_ rows: Int) -> RowSelection { RowSelection(count: rows, indices: nil) }
}

/// The training objective J of one model shape on one dataset, with its gradient, computed in a
/// single pass over the features.
///
/// The features may be backed by a mapped file (`FeatureMatrix.isBacked`): a pass over all rows
/// releases each chunk's rows once it has read them, so the file need not fit in memory. They may
/// also be a row-index view of a mapped file (a split or fold of a disk dataset): rows are read
/// through `FeatureMatrix.withRows`, row `k` being the view's `map[k]` (or `map[indices[k]]` for a
/// mini-batch), and the whole base is released after a full pass, since a chunk's rows are not
/// contiguous in it. The
/// values read are the same bytes either way, so the results are too.
///
/// Rows are cut into a fixed number of chunks that depends only on the number of rows evaluated;
/// each chunk accumulates its loss and gradient in `Double` from zero, and the chunks' partial sums
/// are added in chunk order. Threads only decide who computes which chunk, so the result is
/// bit-identical for any thread count. The thread count is read from `threads` once at the start
/// of each pass, so it may change between passes (a shared budget) but never within one.
///
/// A pass over a large model can take minutes, so it asks `isCancelled` at every chunk (and every
/// 64 rows of a network) and gives up at once when told to: it then returns NaN and leaves the
/// gradient undefined. Cancelling is final, so a caller that finds `isCancelled()` false after a
/// pass knows the pass ran whole; the result never depends on how often the question is asked.
struct Objective: @unchecked Sendable {
    let shape: NetworkShape
    let features: FeatureMatrix
    let rowCount: Int
    let classIndex: [Int32]
    /// Sigmoid output: the class whose probability the output gives.
    let positiveClass: Int
    /// Per class: class weight × focal α factor (the numerator of the mean reduction).
    let lossFactor: [Double]
    let sampleWeights: [Double]?
    /// Σᵢ sᵢ over all rows (class weight × sample weight, without α).
    let weightSum: Double
    let gamma: Double
    let focal: Bool
    let l2: Double
    let reduction: Reduction
    let threads: ThreadBudget
    var isCancelled: @Sendable () -> Bool = { false }

    /// Multiplier of Σ sᵢℓᵢ for the full data.
    var lossScale: Double { reduction == .mean ? 1 / weightSum : 1 }

    /// Rows per chunk for a pass over `count` rows: at least 4,096, at most 64 chunks.
    static func chunkRows(_ count: Int) -> Int { max(4096, (count + 63) / 64) }

    /// J on the selected rows (scaled by `scale`, which multiplies Σ sᵢℓᵢ), and its gradient into
    /// `gradient` when given (overwritten). The l2 term is always added in full.
    func evaluate(_ theta: UnsafeBufferPointer<Double>, gradient: UnsafeMutableBufferPointer<Double>?,
                  rows: RowSelection, scale: Double) -> Double {
        let p = shape.parameterCount
        let count = rows.count
        let chunkRows = Self.chunkRows(count)
        let chunks = max(1, (count + chunkRows - 1) / chunkRows)
        let stride = gradient == nil ? 1 : p + 1
        var partials = [Double](repeating: 0, count: chunks * stride)
        // Asked even for a one-chunk pass: a shared budget may make the pass wait for its turn.
        let budget = threads.current
        let workers = chunks == 1 ? 1 : min(chunks, budget)
        partials.withUnsafeMutableBufferPointer { partials in
            let out = UncheckedSendable(partials.baseAddress!)
            let inputs = UncheckedSendable((theta, gradient, rows))
            let work: @Sendable (Int) -> Void = { worker in
                let (theta, gradient, rows) = inputs.value
                var chunk = worker
                while chunk < chunks {
                    if self.isCancelled() { return }
                    let lo = chunk * chunkRows
                    let hi = min(count, lo + chunkRows)
                    let slot = out.value + chunk * stride
                    let g = gradient == nil ? nil : UnsafeMutableBufferPointer(start: slot + 1, count: p)
                    slot[0] = self.chunk(theta, rows: rows, lo: lo, hi: hi, gradient: g)
                    // A pass over all rows in order is done with these: a backed matrix lets them
                    // go, so what stays resident is about a chunk per worker, not the file.
                    // A view's rows are scattered over its base: it lets the whole base go after the pass.
                    if rows.indices == nil && !self.features.isView {
                        self.features.release(rows: lo..<hi, width: self.shape.inputCount)
                    }
                    chunk += workers
                }
            }
            if workers <= 1 {
                work(0)
            } else {
                DispatchQueue.concurrentPerform(iterations: workers, execute: work)
            }
        }
        if rows.indices == nil && features.isView { features.release(rows: 0..<rowCount, width: shape.inputCount) }
        // Checked once more after every worker has finished: a pass cut short is no result.
        if isCancelled() { return .nan }
        var loss = 0.0
        for c in 0..<chunks { loss += partials[c * stride] }
        var total = scale * loss + (l2 == 0 ? 0 : 0.5 * l2 * shape.weightSquares(theta))
        if let gradient {
            partials.withUnsafeBufferPointer { partials in
                for i in 0..<p { gradient[i] = 0 }
                for c in 0..<chunks {
                    let slot = partials.baseAddress! + c * stride + 1
                    for i in 0..<p { gradient[i] += slot[i] }
                }
            }
            for i in 0..<p { gradient[i] *= scale }
            shape.addPenaltyGradient(theta, l2: l2, into: gradient)
        }
        if total.isNaN { total = .nan }
        return total
    }

    /// Σ over rows `lo..<hi` of the selection of (loss factor × sample weight × ℓ); the matching
    /// gradient is written into `gradient` (which starts at zero).
    private func chunk(_ theta: UnsafeBufferPointer<Double>, rows: RowSelection, lo: Int, hi: Int,
                       gradient: UnsafeMutableBufferPointer<Double>?) -> Double {
        if shape.layerCount == 1 && shape.sigmoidOutput {
            return linearSigmoidChunk(theta, rows: rows, lo: lo, hi: hi, gradient: gradient)
        }
        return networkChunk(theta, rows: rows, lo: lo, hi: hi, gradient: gradient)
    }

    /// The hot path: logistic regression. Rows go in blocks of 64: z = x·w + b for the block,
    /// then ℓ and r = s·∂ℓ/∂z for the block (independent libm calls the CPU can overlap), then
    /// g += r·x while the block's rows are still in L1.
    private func linearSigmoidChunk(_ theta: UnsafeBufferPointer<Double>, rows: RowSelection, lo: Int, hi: Int,
                                    gradient: UnsafeMutableBufferPointer<Double>?) -> Double {
        let d = shape.inputCount
        let w = theta.baseAddress!
        let b = theta[d]
        let positive = positiveClass
        var loss = 0.0
        var biasGradient = 0.0
        let block = 64
        let logits = UnsafeMutablePointer<Double>.allocate(capacity: block)
        // Cross-entropy goes through the C kernel (vectorised exp/log): signs, weights, scratch.
        let signs = UnsafeMutablePointer<Double>.allocate(capacity: block)
        let weights = UnsafeMutablePointer<Double>.allocate(capacity: block)
        let terms = UnsafeMutablePointer<Double>.allocate(capacity: block)
        let scaled = UnsafeMutablePointer<Double>.allocate(capacity: block)
        defer { logits.deallocate(); signs.deallocate(); weights.deallocate(); terms.deallocate(); scaled.deallocate() }
        features.withRows(width: d) { x in
            classIndex.withUnsafeBufferPointer { y in
                lossFactor.withUnsafeBufferPointer { factor in
                    var start = lo
                    while start < hi {
                        let end = min(hi, start + block)
                        for k in start..<end {
                            let row = rows.indices.map { $0[k] } ?? k
                            logits[k - start] = Kernels.dot(x[row], w, d) + b
                        }
                        if focal {
                            for k in start..<end {
                                let row = rows.indices.map { $0[k] } ?? k
                                let c = Int(y[row])
                                var s = factor[c]
                                if let sw = sampleWeights { s *= sw[row] }
                                let (l, dz) = Losses.sigmoidFocal(z: logits[k - start], positive: c == positive, gamma: gamma)
                                loss += s * l
                                logits[k - start] = s * dz
                            }
                        } else {
                            for k in start..<end {
                                let row = rows.indices.map { $0[k] } ?? k
                                let c = Int(y[row])
                                signs[k - start] = c == positive ? 1 : -1
                                weights[k - start] = factor[c] * (sampleWeights?[row] ?? 1)
                            }
                            loss += ballast_logistic_ce_block(logits, signs, weights, scaled, terms, Int32(end - start))
                            logits.update(from: scaled, count: end - start)
                        }
                        if let gradient {
                            // Column groups of 4 summed over the block in registers, then added once.
                            let g = gradient.baseAddress!
                            var j = 0
                            while j + 4 <= d {
                                var acc = SIMD4<Double>()
                                for k in start..<end {
                                    let row = rows.indices.map { $0[k] } ?? k
                                    let xv = UnsafeRawPointer(x[row] + j).loadUnaligned(as: SIMD4<Float>.self)
                                    acc += logits[k - start] * SIMD4<Double>(xv)
                                }
                                for lane in 0..<4 { g[j + lane] += acc[lane] }
                                j += 4
                            }
                            while j < d {
                                var acc = 0.0
                                for k in start..<end {
                                    let row = rows.indices.map { $0[k] } ?? k
                                    acc += logits[k - start] * Double(x[row][j])
                                }
                                g[j] += acc
                                j += 1
                            }
                            for k in start..<end { biasGradient += logits[k - start] }
                        }
                        start = end
                    }
                }
            }
        }
        if let gradient { gradient[d] = biasGradient }
        return loss
    }

    /// Any shape: dense layers with ReLU between them, sigmoid or softmax output; forward and
    /// backward per row in `Double`.
    private func networkChunk(_ theta: UnsafeBufferPointer<Double>, rows: RowSelection, lo: Int, hi: Int,
                              gradient: UnsafeMutableBufferPointer<Double>?) -> Double {
        let sizes = shape.sizes
        let layers = shape.layerCount
        let d = shape.inputCount
        let outputs = shape.outputCount
        let sigmoid = shape.sigmoidOutput
        let maxWidth = sizes.dropFirst().max()!
        var activationStarts: [Int] = []
        var offset = 0
        for layer in 0..<layers { activationStarts.append(offset); offset += sizes[layer + 1] }
        let activations = UnsafeMutablePointer<Double>.allocate(capacity: max(1, offset))
        let delta = UnsafeMutablePointer<Double>.allocate(capacity: maxWidth)
        let previousDelta = UnsafeMutablePointer<Double>.allocate(capacity: maxWidth)
        defer { activations.deallocate(); delta.deallocate(); previousDelta.deallocate() }
        let th = theta.baseAddress!
        var loss = 0.0
        features.withRows(width: d) { x in
            classIndex.withUnsafeBufferPointer { y in
                lossFactor.withUnsafeBufferPointer { factor in
                    for k in lo..<hi {
                        // A row of a wide network costs as much as thousands of logistic rows.
                        if (k - lo) & 63 == 63 && isCancelled() { return }
                        let row = rows.indices.map { $0[k] } ?? k
                        let xr = x[row]
                        // Forward.
                        for layer in 0..<layers {
                            let inputs = sizes[layer]
                            let units = sizes[layer + 1]
                            let weights = th + shape.weightOffsets[layer]
                            let bias = th + shape.biasOffsets[layer]
                            let a = activations + activationStarts[layer]
                            let last = layer == layers - 1
                            if layer == 0 {
                                for o in 0..<units { a[o] = bias[o] + Kernels.dot(xr, weights + o * inputs, inputs) }
                            } else {
                                let input = activations + activationStarts[layer - 1]
                                for o in 0..<units { a[o] = bias[o] + Kernels.dot(input, weights + o * inputs, inputs) }
                            }
                            if !last { for o in 0..<units where !(a[o] > 0) { a[o] = 0 } }
                        }
                        // Output loss and ∂ℓ/∂z.
                        let c = Int(y[row])
                        var s = factor[c]
                        if let sw = sampleWeights { s *= sw[row] }
                        let z = activations + activationStarts[layers - 1]
                        if sigmoid {
                            let (l, dz) = focal
                                ? Losses.sigmoidFocal(z: z[0], positive: c == positiveClass, gamma: gamma)
                                : Losses.sigmoidCrossEntropy(z: z[0], positive: c == positiveClass)
                            loss += s * l
                            delta[0] = s * dz
                        } else {
                            let l = Losses.softmax(z: z, count: outputs, target: c, gamma: focal ? gamma : 0,
                                                   gradient: delta)
                            loss += s * l
                            for o in 0..<outputs { delta[o] *= s }
                        }
                        guard let gradient else { continue }
                        // Backward.
                        let g = gradient.baseAddress!
                        var current = delta
                        var previous = previousDelta
                        for layer in stride(from: layers - 1, through: 0, by: -1) {
                            let inputs = sizes[layer]
                            let units = sizes[layer + 1]
                            let gw = g + shape.weightOffsets[layer]
                            let gb = g + shape.biasOffsets[layer]
                            for o in 0..<units {
                                let r = current[o]
                                if r == 0 { continue }
                                gb[o] += r
                                if layer == 0 {
                                    Kernels.axpy(gw + o * inputs, r, xr, inputs)
                                } else {
                                    Kernels.axpy(gw + o * inputs, r, activations + activationStarts[layer - 1], inputs)
                                }
                            }
                            if layer == 0 { break }
                            let weights = th + shape.weightOffsets[layer]
                            for i in 0..<inputs { previous[i] = 0 }
                            for o in 0..<units where current[o] != 0 {
                                Kernels.axpy(previous, current[o], weights + o * inputs, inputs)
                            }
                            let input = activations + activationStarts[layer - 1]
                            for i in 0..<inputs where !(input[i] > 0) { previous[i] = 0 }
                            swap(&current, &previous)
                        }
                    }
                }
            }
        }
        return loss
    }

    /// Output probabilities (rows × classes, in class-index order) of the selected rows.
    func probabilities(_ theta: UnsafeBufferPointer<Double>, classCount: Int) -> [Float] {
        let sizes = shape.sizes
        let layers = shape.layerCount
        let d = shape.inputCount
        let outputs = shape.outputCount
        var result = [Float](repeating: 0, count: rowCount * classCount)
        let chunkRows = Self.chunkRows(rowCount)
        let chunks = max(1, (rowCount + chunkRows - 1) / chunkRows)
        let budget = threads.current
        let workers = chunks == 1 ? 1 : min(chunks, budget)
        result.withUnsafeMutableBufferPointer { result in
            let out = UncheckedSendable(result.baseAddress!)
            let parameters = UncheckedSendable(theta)
            let work: @Sendable (Int) -> Void = { worker in
                let theta = parameters.value
                var starts: [Int] = []
                var offset = 0
                for layer in 0..<layers { starts.append(offset); offset += sizes[layer + 1] }
                let activations = UnsafeMutablePointer<Double>.allocate(capacity: max(1, offset))
                let probs = UnsafeMutablePointer<Double>.allocate(capacity: outputs)
                defer { activations.deallocate(); probs.deallocate() }
                let th = theta.baseAddress!
                self.features.withRows(width: d) { x in
                    var chunk = worker
                    while chunk < chunks {
                        for row in (chunk * chunkRows)..<min(self.rowCount, (chunk + 1) * chunkRows) {
                            let xr = x[row]
                            for layer in 0..<layers {
                                let inputs = sizes[layer]
                                let weights = th + self.shape.weightOffsets[layer]
                                let bias = th + self.shape.biasOffsets[layer]
                                let a = activations + starts[layer]
                                for o in 0..<sizes[layer + 1] {
                                    a[o] = bias[o] + (layer == 0
                                        ? Kernels.dot(xr, weights + o * inputs, inputs)
                                        : Kernels.dot(activations + starts[layer - 1], weights + o * inputs, inputs))
                                }
                                if layer < layers - 1 { for o in 0..<sizes[layer + 1] where !(a[o] > 0) { a[o] = 0 } }
                            }
                            let z = activations + starts[layers - 1]
                            let target = out.value + row * classCount
                            if outputs == 1 {
                                let p = Losses.sigmoid(z[0])
                                let q = Losses.sigmoid(-z[0])
                                target[self.positiveClass] = Float(p)
                                target[1 - self.positiveClass] = Float(q)
                            } else {
                                Losses.softmaxProbabilities(z: z, count: outputs, into: probs)
                                for o in 0..<outputs { target[o] = Float(probs[o]) }
                            }
                        }
                        if !self.features.isView {
                            self.features.release(rows: (chunk * chunkRows)..<min(self.rowCount, (chunk + 1) * chunkRows), width: d)
                        }
                        chunk += workers
                    }
                }
            }
            if workers <= 1 { work(0) } else { DispatchQueue.concurrentPerform(iterations: workers, execute: work) }
        }
        // A view's rows are scattered over its base: it lets the whole base go once, after the pass.
        if features.isView { features.release(rows: 0..<rowCount, width: d) }
        return result
    }
}
