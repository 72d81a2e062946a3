#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Outcome of scanning one decimal number.
enum NumberStatus: UInt8 {
    case ok
    /// Syntactically a number, but its magnitude does not fit in a `Float` (rounds to infinity).
    case overflow
    /// Not a decimal number.
    case invalid
}

/// 10^-64 ... 10^64, each correctly rounded to Double by the compiler (exact for 0...22).
private let powersOfTen: [Double] = [1e-64, 1e-63, 1e-62, 1e-61, 1e-60, 1e-59, 1e-58, 1e-57, 1e-56, 1e-55, 1e-54, 1e-53, 1e-52, 1e-51, 1e-50, 1e-49, 1e-48, 1e-47, 1e-46, 1e-45, 1e-44, 1e-43, 1e-42, 1e-41, 1e-40, 1e-39, 1e-38, 1e-37, 1e-36, 1e-35, 1e-34, 1e-33, 1e-32, 1e-31, 1e-30, 1e-29, 1e-28, 1e-27, 1e-26, 1e-25, 1e-24, 1e-23, 1e-22, 1e-21, 1e-20, 1e-19, 1e-18, 1e-17, 1e-16, 1e-15, 1e-14, 1e-13, 1e-12, 1e-11, 1e-10, 1e-9, 1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22, 1e23, 1e24, 1e25, 1e26, 1e27, 1e28, 1e29, 1e30, 1e31, 1e32, 1e33, 1e34, 1e35, 1e36, 1e37, 1e38, 1e39, 1e40, 1e41, 1e42, 1e43, 1e44, 1e45, 1e46, 1e47, 1e48, 1e49, 1e50, 1e51, 1e52, 1e53, 1e54, 1e55, 1e56, 1e57, 1e58, 1e59, 1e60, 1e61, 1e62, 1e63, 1e64]

/// Decimal-to-float32 conversion that returns exactly what `strtof` returns (correct rounding).
///
/// Grammar: `[+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?`. No hex, no `inf`/`nan`
/// (the loader classifies those itself).
///
/// Fast path: the first 19 significant digits go into a `UInt64` mantissa, which is multiplied in
/// Double by a power of ten from a table (|exponent| <= 64). That Double is within a few Double ulps of
/// the exact value, and has 29 more bits than a Float, so rounding it to Float gives the correctly
/// rounded result unless it lies within those few ulps of a Float rounding midpoint. Those rare cases,
/// Float subnormals and exponents outside the table go to `strtof`.
enum FloatParser {
    /// Scans a number starting at `start`. The bytes must be followed, somewhere, by a byte that cannot
    /// continue a number (the loader guarantees a `\n` sentinel), so no end pointer is needed.
    /// Returns the first byte after the number.
    @inline(__always)
    static func scan(_ start: UnsafePointer<UInt8>, _ value: inout Float) -> (UnsafePointer<UInt8>, NumberStatus) {
        var p = start
        var negative = false
        if p[0] == UInt8(ascii: "-") { negative = true; p += 1 } else if p[0] == UInt8(ascii: "+") { p += 1 }
        var mantissa: UInt64 = 0
        var digits = 0          // significant digits held in mantissa
        var exponent = 0
        var sawDigit = false
        while true {
            let d = p[0] &- 48
            if d > 9 { break }
            sawDigit = true
            if digits < 19 {
                mantissa = mantissa &* 10 &+ UInt64(d)
                if mantissa != 0 { digits += 1 }
            } else {
                exponent += 1
            }
            p += 1
        }
        if p[0] == UInt8(ascii: ".") {
            p += 1
            while true {
                let d = p[0] &- 48
                if d > 9 { break }
                sawDigit = true
                if digits < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(d)
                    if mantissa != 0 { digits += 1 }
                    exponent -= 1
                }
                p += 1
            }
        }
        if !sawDigit { return (start, .invalid) }
        if p[0] | 0x20 == UInt8(ascii: "e") {
            var q = p + 1
            var negativeExponent = false
            if q[0] == UInt8(ascii: "-") { negativeExponent = true; q += 1 } else if q[0] == UInt8(ascii: "+") { q += 1 }
            if q[0] &- 48 <= 9 {
                var e = 0
                while true {
                    let d = q[0] &- 48
                    if d > 9 { break }
                    if e < 100_000_000 { e = e * 10 + Int(d) }
                    q += 1
                }
                exponent += negativeExponent ? -e : e
                p = q
            }
            // "1e" or "1e+": the number ends before the 'e'; the caller sees the 'e' and rejects the field.
        }
        if mantissa == 0 {
            value = negative ? -0.0 : 0.0
            return (p, .ok)
        }
        if exponent >= -64 && exponent <= 64 {
            // Relative error of d: Double(mantissa) + table entry + product, each <= 2^-53, plus the
            // dropped digits (< 10^-18): a few Double ulps. Rounding d to Float equals rounding the exact
            // value unless d lies within that error of a Float rounding midpoint, i.e. unless the 29
            // low significand bits are near 1000...0; those rare cases (and subnormals) go to strtof.
            let d = Double(mantissa) * powersOfTen[exponent + 64]
            let low = Int(truncatingIfNeeded: d.bitPattern & 0x1FFF_FFFF)
            if d >= Double(Float.leastNormalMagnitude) && (low - 0x1000_0000).magnitude > 64 {
                let f = Float(d)
                if f.isInfinite { return (p, .overflow) }
                value = negative ? -f : f
                return (p, .ok)
            }
        }
        let f = slow(start, p - start)
        value = f
        return (p, f.isInfinite ? .overflow : .ok)
    }

    /// `strtof` on `count` bytes that the fast scanner accepted.
    @inline(never)
    static func slow(_ start: UnsafePointer<UInt8>, _ count: Int) -> Float {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: count + 1) { buffer in
            let b = buffer.baseAddress!
            UnsafeMutableRawPointer(b).copyMemory(from: start, byteCount: count)
            b[count] = 0
            return strtof(b, nil)
        }
    }

    /// Parses a whole byte string as a number (leading/trailing bytes not allowed). For tests and the slow path.
    static func parse(_ bytes: some Collection<UInt8>) -> (Float, NumberStatus) {
        var copy = Array(bytes)
        copy.append(UInt8(ascii: "\n"))
        return copy.withUnsafeBufferPointer { buffer in
            var v: Float = 0
            let (end, status) = scan(buffer.baseAddress!, &v)
            if status == .invalid || end != buffer.baseAddress! + (buffer.count - 1) { return (0, .invalid) }
            return (v, status)
        }
    }
}
