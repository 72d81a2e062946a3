import RealModule

/// The random number generator behind every seeded operation in BallastML.
///
/// Algorithm (fixed; changing it is a breaking change because it changes every generated dataset,
/// split and resample):
/// - **State:** xoshiro256** (Blackman & Vigna, 2018), four 64-bit words.
/// - **Seeding:** the four words are the first four outputs of SplitMix64 started at `seed`
///   (SplitMix64 never yields an all-zero state from four consecutive outputs).
/// - **Uniform doubles** (`nextUnit()`): the top 53 bits of `next()` times 2⁻⁵³, in [0, 1).
/// - **Bounded integers** (`nextInt(below:)`): Lemire's multiply-shift with rejection, written
///   out here rather than taken from the standard library so the stream cannot change with a
///   Swift release.
/// - **Gaussians** (`nextGaussianPair()`): Marsaglia's polar method on two uniform doubles in
///   (−1, 1).
/// - **Sub-streams** (`derivedSeed(_:stream:)`): an independent seed per block/class/part, made by
///   mixing the seed and the stream number through SplitMix64's finaliser. This keeps work that is
///   split into blocks (and possibly run on several threads) deterministic.
///
/// The integer stream, uniform doubles and bounded integers are bit-identical on every platform.
/// Gaussians also use `log` and `sqrt`; `sqrt` is correctly rounded everywhere, `log` comes from the
/// platform's C library, which is deterministic on one platform but may differ in the last bit
/// between C libraries (glibc vs Apple's libm).
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var s0: UInt64
    private var s1: UInt64
    private var s2: UInt64
    private var s3: UInt64

    public init(seed: UInt64) {
        var state = seed
        s0 = Self.splitMix(&state)
        s1 = Self.splitMix(&state)
        s2 = Self.splitMix(&state)
        s3 = Self.splitMix(&state)
    }

    /// A generator for sub-stream `stream` of `seed`: `SeededGenerator(seed: derivedSeed(seed, stream: stream))`.
    public init(seed: UInt64, stream: UInt64) {
        self.init(seed: Self.derivedSeed(seed, stream: stream))
    }

    @inline(__always)
    static func splitMix(_ state: inout UInt64) -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return mix(state)
    }

    @inline(__always)
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// The seed of sub-stream `stream` of `seed` (SplitMix64 finaliser of both, chained).
    public static func derivedSeed(_ seed: UInt64, stream: UInt64) -> UInt64 {
        mix(mix(seed &+ 0x9E37_79B9_7F4A_7C15) ^ (stream &* 0xD1B5_4A32_D192_ED03 &+ 0x2545_F491_4F6C_DD1D))
    }

    @inline(__always)
    public mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = s3 << 45 | s3 >> 19
        return result
    }

    /// A uniform double in [0, 1) with 53 random bits.
    @inline(__always)
    public mutating func nextUnit() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// A uniform integer in `0..<bound` (Lemire 2019, unbiased). `bound` must be positive.
    @inline(__always)
    public mutating func nextInt(below bound: Int) -> Int {
        precondition(bound > 0, "bound must be positive")
        let range = UInt64(bound)
        var product = next().multipliedFullWidth(by: range)
        if product.low < range {
            let threshold = (0 &- range) % range
            while product.low < threshold {
                product = next().multipliedFullWidth(by: range)
            }
        }
        return Int(product.high)
    }

    /// Two independent standard normal values (Marsaglia's polar method).
    @inline(__always)
    public mutating func nextGaussianPair() -> (Double, Double) {
        while true {
            let u = 2 * nextUnit() - 1
            let v = 2 * nextUnit() - 1
            let s = u * u + v * v
            if s > 0 && s < 1 {
                let factor = (-2 * Double.log(s) / s).squareRoot()
                return (u * factor, v * factor)
            }
        }
    }

    /// One standard normal value (the second of the pair is discarded).
    public mutating func nextGaussian() -> Double { nextGaussianPair().0 }

    /// Fisher–Yates shuffle driven by `nextInt(below:)` (stable across Swift releases, unlike
    /// `Array.shuffle(using:)`, whose algorithm the standard library does not promise).
    public mutating func shuffle<T>(_ array: inout [T]) {
        var i = array.count - 1
        while i > 0 {
            let j = nextInt(below: i + 1)
            array.swapAt(i, j)
            i -= 1
        }
    }
}
