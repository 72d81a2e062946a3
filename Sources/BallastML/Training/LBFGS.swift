/// Limited-memory BFGS for unconstrained minimisation (Nocedal & Wright, Algorithms 7.4/7.5),
/// with a strong-Wolfe line search (Algorithms 3.5/3.6, cubic interpolation, c₁ = 1e-4, c₂ = 0.9).
///
/// - First iteration: steepest descent with the trial step 1/‖∇f‖₂ (as L-BFGS-B); afterwards the
///   trial step is 1. The initial inverse Hessian is γI with γ = sᵀy / yᵀy of the newest pair.
/// - A correction pair is kept only if sᵀy > ε·yᵀy, so the approximation stays positive definite.
/// - Stops when `gradientScale · ‖∇f‖∞ ≤ tolerance` (converged), when an iteration lowers f by no
///   more than 64·ε relative to max(|f_old|, |f|, 1) (converged: scipy's `ftol` as scikit-learn
///   sets it), when the line search cannot lower f even along steepest descent (converged: no
///   progress is possible at double precision), or after `maxIterations` iterations.
/// - A trial point where f is NaN or infinite is treated as too long a step.
struct LBFGS {
    enum Control { case proceed, stop(StopReason) }

    struct Result {
        var iterations: Int
        var reason: StopReason
        var objective: Double
    }

    var tolerance: Double
    var maxIterations: Int
    var memory: Int
    /// Multiplies ‖∇f‖∞ in the convergence test.
    var gradientScale: Double
    /// Trial evaluations per line search (scikit-learn passes `maxls = 50` to scipy).
    var maxLineSearch = 50

    typealias Evaluate = (UnsafeBufferPointer<Double>, UnsafeMutableBufferPointer<Double>) -> Double

    /// Minimises from `x` (updated in place). `beforeIteration` is polled before each iteration
    /// (return a stop to cancel); `afterIteration(k, x, f, ‖∇f‖∞ scaled)` runs after iteration k.
    func minimize(_ x: inout [Double], evaluate: Evaluate,
                  beforeIteration: () -> Control,
                  afterIteration: (Int, [Double], Double, Double) -> Control) -> Result {
        let n = x.count
        var g = [Double](repeating: 0, count: n)
        var f = x.withUnsafeBufferPointer { xb in g.withUnsafeMutableBufferPointer { evaluate(xb, $0) } }
        if !f.isFinite { return Result(iterations: 0, reason: .converged, objective: f) }
        if gradientScale * maxAbs(g) <= tolerance { return Result(iterations: 0, reason: .converged, objective: f) }

        var sHistory: [[Double]] = []
        var yHistory: [[Double]] = []
        var rho: [Double] = []
        var alphas = [Double](repeating: 0, count: memory)
        var d = [Double](repeating: 0, count: n)
        var xNew = x
        var gNew = g
        var iteration = 0

        while iteration < maxIterations {
            if case .stop(let reason) = beforeIteration() {
                return Result(iterations: iteration, reason: reason, objective: f)
            }
            // Search direction: d = −H∇f (two-loop recursion).
            for i in 0..<n { d[i] = -g[i] }
            if !sHistory.isEmpty {
                let count = sHistory.count
                for k in stride(from: count - 1, through: 0, by: -1) {
                    let a = rho[k] * dot(sHistory[k], d)
                    alphas[k] = a
                    axpy(&d, -a, yHistory[k])
                }
                let last = count - 1
                let gamma = dot(sHistory[last], yHistory[last]) / dot(yHistory[last], yHistory[last])
                for i in 0..<n { d[i] *= gamma }
                for k in 0..<count {
                    let b = rho[k] * dot(yHistory[k], d)
                    axpy(&d, alphas[k] - b, sHistory[k])
                }
            }
            var slope = dot(g, d)
            if !(slope < 0) {
                sHistory.removeAll(); yHistory.removeAll(); rho.removeAll()
                for i in 0..<n { d[i] = -g[i] }
                slope = dot(g, d)
            }
            let firstStep = sHistory.isEmpty ? 1 / dot(g, g).squareRoot() : 1
            var search = lineSearch(x: x, f: f, g: g, d: d, slope: slope, step: firstStep,
                                    xNew: &xNew, gNew: &gNew, evaluate: evaluate)
            if search == nil && !sHistory.isEmpty {
                // Retry once along steepest descent with a fresh memory.
                sHistory.removeAll(); yHistory.removeAll(); rho.removeAll()
                for i in 0..<n { d[i] = -g[i] }
                slope = dot(g, d)
                search = lineSearch(x: x, f: f, g: g, d: d, slope: slope, step: 1 / (-slope).squareRoot(),
                                    xNew: &xNew, gNew: &gNew, evaluate: evaluate)
            }
            guard let fNew = search else {
                return Result(iterations: iteration, reason: .converged, objective: f)
            }
            iteration += 1
            // Correction pair.
            var s = [Double](repeating: 0, count: n)
            var y = [Double](repeating: 0, count: n)
            for i in 0..<n { s[i] = xNew[i] - x[i]; y[i] = gNew[i] - g[i] }
            let sy = dot(s, y)
            let yy = dot(y, y)
            if sy > Double.ulpOfOne * yy {
                if sHistory.count == memory { sHistory.removeFirst(); yHistory.removeFirst(); rho.removeFirst() }
                sHistory.append(s); yHistory.append(y); rho.append(1 / sy)
            }
            let fOld = f
            swap(&x, &xNew)
            swap(&g, &gNew)
            f = fNew
            let gradientNorm = gradientScale * maxAbs(g)
            if case .stop(let reason) = afterIteration(iteration, x, f, gradientNorm) {
                return Result(iterations: iteration, reason: reason, objective: f)
            }
            if gradientNorm <= tolerance { return Result(iterations: iteration, reason: .converged, objective: f) }
            if (fOld - f) <= 64 * Double.ulpOfOne * max(abs(fOld), abs(f), 1) {
                return Result(iterations: iteration, reason: .converged, objective: f)
            }
        }
        return Result(iterations: iteration, reason: .maxIterations, objective: f)
    }

    /// Strong-Wolfe line search along d from x. On success `xNew`/`gNew` hold the accepted point
    /// and its gradient and the function value is returned; nil if f could not be lowered.
    private func lineSearch(x: [Double], f: Double, g: [Double], d: [Double], slope: Double, step: Double,
                            xNew: inout [Double], gNew: inout [Double], evaluate: Evaluate) -> Double? {
        let c1 = 1e-4
        let c2 = 0.9
        let n = x.count
        var evaluations = 0
        // Best point with sufficient decrease seen so far (fallback if curvature is never met).
        var bestStep = 0.0
        var bestF = f

        func trial(_ step: Double) -> (f: Double, slope: Double) {
            evaluations += 1
            for i in 0..<n { xNew[i] = x[i] + step * d[i] }
            let value = xNew.withUnsafeBufferPointer { xb in gNew.withUnsafeMutableBufferPointer { evaluate(xb, $0) } }
            let fValue = value.isFinite ? value : .infinity
            let s = fValue.isFinite ? dot(gNew, d) : .nan
            if fValue.isFinite && fValue <= f + c1 * step * slope && fValue < bestF {
                bestStep = step
                bestF = fValue
            }
            return (fValue, s)
        }

        func finishWithBest() -> Double? {
            guard bestStep > 0 else { return nil }
            let v = trial(bestStep)
            return v.f
        }

        func zoom(_ loIn: (Double, Double, Double), _ hiIn: (Double, Double, Double)) -> Double? {
            var lo = loIn   // (step, f, slope): satisfies sufficient decrease, lowest f so far
            var hi = hiIn
            while evaluations < maxLineSearch {
                let width = hi.0 - lo.0
                if abs(width) <= 1e-16 * max(abs(lo.0), 1e-300) { break }
                var t = cubicMinimizer(lo, hi)
                let a = min(lo.0, hi.0), b = max(lo.0, hi.0)
                let margin = 0.1 * (b - a)
                if !(t.isFinite && t > a + margin && t < b - margin) { t = 0.5 * (lo.0 + hi.0) }
                let v = trial(t)
                if !v.f.isFinite || v.f > f + c1 * t * slope || v.f >= lo.1 {
                    hi = (t, v.f, v.slope)
                } else {
                    if abs(v.slope) <= -c2 * slope { return v.f }
                    if v.slope * (hi.0 - lo.0) >= 0 { hi = lo }
                    lo = (t, v.f, v.slope)
                }
            }
            return finishWithBest()
        }

        var previous = (0.0, f, slope)
        var current = step
        while evaluations < maxLineSearch {
            let v = trial(current)
            if !v.f.isFinite || v.f > f + c1 * current * slope || (evaluations > 1 && v.f >= previous.1) {
                return zoom(previous, (current, v.f, v.slope))
            }
            if abs(v.slope) <= -c2 * slope { return v.f }
            if v.slope >= 0 { return zoom((current, v.f, v.slope), previous) }
            previous = (current, v.f, v.slope)
            current *= 4
        }
        return finishWithBest()
    }

    /// Minimiser of the cubic matching f and f' at two steps (NaN when it has none).
    private func cubicMinimizer(_ p: (Double, Double, Double), _ q: (Double, Double, Double)) -> Double {
        guard p.1.isFinite, q.1.isFinite, p.2.isFinite, q.2.isFinite else { return .nan }
        let d1 = p.2 + q.2 - 3 * (p.1 - q.1) / (p.0 - q.0)
        let disc = d1 * d1 - p.2 * q.2
        guard disc >= 0 else { return .nan }
        let d2 = (q.0 > p.0 ? 1.0 : -1.0) * disc.squareRoot()
        return q.0 - (q.0 - p.0) * (q.2 + d2 - d1) / (q.2 - p.2 + 2 * d2)
    }
}

@inline(__always)
fileprivate func dot(_ a: [Double], _ b: [Double]) -> Double {
    var s = 0.0
    for i in 0..<a.count { s += a[i] * b[i] }
    return s
}

@inline(__always)
fileprivate func axpy(_ y: inout [Double], _ a: Double, _ x: [Double]) {
    for i in 0..<y.count { y[i] += a * x[i] }
}

@inline(__always)
fileprivate func maxAbs(_ a: [Double]) -> Double {
    var m = 0.0
    for v in a { m = max(m, abs(v)) }
    return m
}
