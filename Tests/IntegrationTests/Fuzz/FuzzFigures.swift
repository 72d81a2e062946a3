import Foundation

/// What a fuzz run measured, printed at its end (and on failure, with the seed to repeat it).
struct FuzzFigures {
    var seed: UInt64 = 0
    var sent = 0
    var sentByKind: [FuzzMessage.Kind: Int] = [:]
    var unauthentic = 0
    var replies = 0
    var notifications = 0
    /// `$/cancelRequest`s the harness sent for requests still running at the end of a batch.
    var cancellations = 0
    var lostReplies = 0
    var duplicatedReplies = 0
    /// Replies to ids only unsigned markers carried: each one is an unsigned message answered.
    var answeredUnsigned = 0
    var pingMilliseconds: [Double] = []
    var peakResidentBytes = 0
    var started = Date()
    var wallSeconds: Double { Date().timeIntervalSince(started) }

    mutating func sent(_ message: FuzzMessage) {
        sent += 1
        sentByKind[message.kind, default: 0] += 1
        if !message.authentic { unauthentic += 1 }
    }

    static func percentile(_ values: [Double], _ fraction: Double) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        return sorted[min(sorted.count - 1, Int((Double(sorted.count) * fraction).rounded(.up)) - 1)]
    }

    var summary: String {
        let kinds = FuzzMessage.Kind.allCases.map { "\($0.rawValue) \(sentByKind[$0] ?? 0)" }.joined(separator: ", ")
        let slowPings = pingMilliseconds.filter { $0 > 100 }.count
        return """
        fuzz seed \(seed) (repeat with BALLAST_FUZZ_SEED=\(seed) BALLAST_FUZZ_MESSAGES=\(sent)):
          \(sent) messages in \(String(format: "%.1f", wallSeconds)) s, \(Int(Double(sent) / max(wallSeconds, 1e-9))) messages/s (\(kinds))
          \(unauthentic) unauthentic, \(answeredUnsigned) of them answered; \(replies) replies, \(notifications) notifications, \(cancellations) requests cancelled after their batch, \(lostReplies) lost, \(duplicatedReplies) duplicated
          control ping after each batch: \(pingMilliseconds.count) pings, p50 \(ms(Self.percentile(pingMilliseconds, 0.5))), p99 \(ms(Self.percentile(pingMilliseconds, 0.99))), max \(ms(pingMilliseconds.max() ?? 0)), \(slowPings) over 100 ms
          peak daemon RSS \(peakResidentBytes >> 20) MiB
        """
    }

    private func ms(_ value: Double) -> String { String(format: "%.1f ms", value) }
}
