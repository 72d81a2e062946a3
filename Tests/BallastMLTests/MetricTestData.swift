import XCTest
@testable import BallastML

/// The fixed datasets of Reference/metrics_reference.py, regenerated bit for bit: SplitMix64 and integer
/// arithmetic only, so the float32 probabilities are identical to the ones scikit-learn saw.
enum MetricTestData {
    struct SplitMix64 {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// ~2 % positives (class 1); P(1) on a 1/1024 grid: many ties, exact 0s and a 1. K = 2, row-major.
    static func binary(n: Int = 1000, seed: UInt64 = 2024) -> (classIndex: [Int32], probabilities: [Float]) {
        var g = SplitMix64(state: seed)
        var y: [Int32] = [], p: [Float] = []
        y.reserveCapacity(n)
        p.reserveCapacity(2 * n)
        for _ in 0..<n {
            let label: Int32 = g.next() % 50 == 0 ? 1 : 0
            let v = g.next()
            var level = (v >> 54) * 3 / 4
            if label == 1 { level = v & 0xF == 0 ? 0 : min(1024, level + 300) }
            let p1 = Float(level) / 1024
            y.append(label)
            p.append(1 - p1)
            p.append(p1)
        }
        return (y, p)
    }

    /// Three classes 60/30/10 %; each row aₖ / Σa in float32.
    static func multiclass(n: Int = 600, seed: UInt64 = 7) -> (classIndex: [Int32], probabilities: [Float]) {
        var g = SplitMix64(state: seed)
        var y: [Int32] = [], p: [Float] = []
        for _ in 0..<n {
            let r = g.next() % 10
            let label = r < 6 ? 0 : (r < 9 ? 1 : 2)
            var a = (0..<3).map { _ in (g.next() >> 54) + 1 }
            if g.next() % 4 != 0 { a[label] += 512 }
            let total = Float(a.reduce(0, +))
            y.append(Int32(label))
            p += a.map { Float($0) / total }
        }
        return (y, p)
    }

    static func column(_ p: [Float], _ k: Int, _ c: Int) -> [Float] {
        stride(from: c, to: p.count, by: k).map { p[$0] }
    }
}

func assertRelative(_ got: Double, _ want: Double, _ tolerance: Double = 1e-12, _ what: String = "",
                    file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertFalse(got.isNaN, "\(what) is NaN", file: file, line: line)
    XCTAssertLessThanOrEqual(abs(got - want), tolerance * max(abs(want), 1e-300),
                             "\(what): got \(got), want \(want)", file: file, line: line)
}

func assertRelative(_ got: [Double], _ want: [Double], _ tolerance: Double = 1e-12, _ what: String = "",
                    file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(got.count, want.count, "\(what) count", file: file, line: line)
    for (i, (g, w)) in zip(got, want).enumerated() {
        if w == 0 {
            XCTAssertEqual(g, 0, "\(what)[\(i)]", file: file, line: line)
        } else {
            assertRelative(g, w, tolerance, "\(what)[\(i)]", file: file, line: line)
        }
    }
}
