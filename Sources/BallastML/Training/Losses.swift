#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Per-row losses and their derivatives with respect to the logits, numerically stable.
enum Losses {
    @inline(__always)
    static func sigmoid(_ z: Double) -> Double {
        if z >= 0 { return 1 / (1 + exp(-z)) }
        let e = exp(z)
        return e / (1 + e)
    }

    /// ℓ = −log p_t = softplus(−z_t) with z_t = ±z; ∂ℓ/∂z.
    @inline(__always)
    static func sigmoidCrossEntropy(z: Double, positive: Bool) -> (Double, Double) {
        let zt = positive ? z : -z
        let e = exp(-abs(zt))
        let softplus = max(-zt, 0) + log(1 + e)
        let q = zt >= 0 ? e / (1 + e) : 1 / (1 + e)   // 1 − p_t
        return (softplus, positive ? -q : q)
    }

    /// ℓ = −(1 − p_t)^γ log p_t (α is applied by the caller's loss factor); ∂ℓ/∂z.
    /// ∂ℓ/∂z_t = q^γ (γ p_t log p_t − q) with q = 1 − p_t.
    @inline(__always)
    static func sigmoidFocal(z: Double, positive: Bool, gamma: Double) -> (Double, Double) {
        let zt = positive ? z : -z
        let e = exp(-abs(zt))
        let logPt = -(max(-zt, 0) + log1p(e))
        let inv = 1 / (1 + e)
        let q = zt >= 0 ? e * inv : inv
        let pt = zt >= 0 ? inv : e * inv
        let qg = pow(q, gamma)
        let dzt = qg * (gamma * pt * logPt - q)
        return (-qg * logPt, positive ? dzt : -dzt)
    }

    /// Softmax over `count` logits with true class `target`: returns ℓ = −(1 − p_y)^γ log p_y
    /// (γ = 0: cross-entropy) and writes ∂ℓ/∂z into `gradient`.
    @inline(__always)
    static func softmax(z: UnsafeMutablePointer<Double>, count: Int, target: Int, gamma: Double,
                        gradient: UnsafeMutablePointer<Double>) -> Double {
        var m = z[0]
        for k in 1..<count where z[k] > m { m = z[k] }
        var sum = 0.0
        for k in 0..<count {
            let e = exp(z[k] - m)
            gradient[k] = e
            sum += e
        }
        let logPy = z[target] - m - log(sum)
        let inv = 1 / sum
        for k in 0..<count { gradient[k] *= inv }   // p_k
        if gamma == 0 {
            gradient[target] -= 1
            return -logPy
        }
        let oneMinus = -expm1(logPy)                 // 1 − p_y, accurate near p_y = 1
        let pg = pow(oneMinus, gamma)
        let ratio = oneMinus > 0 ? logPy / oneMinus : -1
        let py = exp(logPy)
        let dldu = pg * (gamma * py * ratio - 1)      // ∂ℓ/∂log p_y
        for k in 0..<count { gradient[k] *= -dldu }
        gradient[target] += dldu
        return -pg * logPy
    }

    @inline(__always)
    static func softmaxProbabilities(z: UnsafeMutablePointer<Double>, count: Int, into p: UnsafeMutablePointer<Double>) {
        var m = z[0]
        for k in 1..<count where z[k] > m { m = z[k] }
        var sum = 0.0
        for k in 0..<count { p[k] = exp(z[k] - m); sum += p[k] }
        let inv = 1 / sum
        for k in 0..<count { p[k] *= inv }
    }
}
