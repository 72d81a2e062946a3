/// Dot products and axpy on float32 or float64 inputs with float64 parameters, 8 lanes at a time.
enum Kernels {
    @inline(__always)
    static func dot(_ x: UnsafePointer<Float>, _ w: UnsafePointer<Double>, _ n: Int) -> Double {
        var a0 = SIMD4<Double>()
        var a1 = SIMD4<Double>()
        var j = 0
        while j + 8 <= n {
            let xa = UnsafeRawPointer(x + j).loadUnaligned(as: SIMD4<Float>.self)
            let xb = UnsafeRawPointer(x + j + 4).loadUnaligned(as: SIMD4<Float>.self)
            let wa = UnsafeRawPointer(w + j).loadUnaligned(as: SIMD4<Double>.self)
            let wb = UnsafeRawPointer(w + j + 4).loadUnaligned(as: SIMD4<Double>.self)
            a0 += SIMD4<Double>(xa) * wa
            a1 += SIMD4<Double>(xb) * wb
            j += 8
        }
        if j + 4 <= n {
            let xa = UnsafeRawPointer(x + j).loadUnaligned(as: SIMD4<Float>.self)
            let wa = UnsafeRawPointer(w + j).loadUnaligned(as: SIMD4<Double>.self)
            a0 += SIMD4<Double>(xa) * wa
            j += 4
        }
        var sum = (a0 + a1).sum()
        while j < n { sum += Double(x[j]) * w[j]; j += 1 }
        return sum
    }

    @inline(__always)
    static func dot(_ x: UnsafePointer<Double>, _ w: UnsafePointer<Double>, _ n: Int) -> Double {
        var a0 = SIMD4<Double>()
        var j = 0
        while j + 4 <= n {
            a0 += UnsafeRawPointer(x + j).loadUnaligned(as: SIMD4<Double>.self)
                * UnsafeRawPointer(w + j).loadUnaligned(as: SIMD4<Double>.self)
            j += 4
        }
        var sum = a0.sum()
        while j < n { sum += x[j] * w[j]; j += 1 }
        return sum
    }

    /// g += a·x
    @inline(__always)
    static func axpy(_ g: UnsafeMutablePointer<Double>, _ a: Double, _ x: UnsafePointer<Float>, _ n: Int) {
        var j = 0
        while j + 4 <= n {
            let xv = SIMD4<Double>(UnsafeRawPointer(x + j).loadUnaligned(as: SIMD4<Float>.self))
            let gv = UnsafeRawPointer(g + j).loadUnaligned(as: SIMD4<Double>.self)
            UnsafeMutableRawPointer(g + j).storeBytes(of: gv + a * xv, as: SIMD4<Double>.self)
            j += 4
        }
        while j < n { g[j] += a * Double(x[j]); j += 1 }
    }

    /// g += a·x
    @inline(__always)
    static func axpy(_ g: UnsafeMutablePointer<Double>, _ a: Double, _ x: UnsafePointer<Double>, _ n: Int) {
        var j = 0
        while j + 4 <= n {
            let xv = UnsafeRawPointer(x + j).loadUnaligned(as: SIMD4<Double>.self)
            let gv = UnsafeRawPointer(g + j).loadUnaligned(as: SIMD4<Double>.self)
            UnsafeMutableRawPointer(g + j).storeBytes(of: gv + a * xv, as: SIMD4<Double>.self)
            j += 4
        }
        while j < n { g[j] += a * x[j]; j += 1 }
    }
}
