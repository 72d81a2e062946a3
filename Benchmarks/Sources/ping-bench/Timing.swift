import Foundation

// MARK: Timing

@inline(__always)
func nowNanoseconds() -> UInt64 {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
}

struct Summary {
    let label: String
    let samples: [UInt64]  // nanoseconds, sorted

    init(_ label: String, _ samples: [UInt64]) {
        self.label = label
        self.samples = samples.sorted()
    }

    /// Nearest-rank percentile, in microseconds.
    func percentile(_ p: Double) -> Double {
        guard !samples.isEmpty else { return .nan }
        let rank = Int((p / 100 * Double(samples.count)).rounded(.up)) - 1
        return Double(samples[min(max(rank, 0), samples.count - 1)]) / 1000
    }
    var p50: Double { percentile(50) }
    var p99: Double { percentile(99) }
    var mean: Double { Double(samples.reduce(0, +)) / Double(max(samples.count, 1)) / 1000 }
}
