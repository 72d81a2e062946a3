import Foundation

/// What one load run measured: every tracked request's fate, and latencies in milliseconds.
struct LoadFigures {
    var clients = 0
    var requestsPerClient = 0
    var sent = 0
    var answered = 0
    var lost = 0
    var duplicated = 0
    /// Replies whose id no request of that client carried.
    var strangers = 0
    var errors: [Int: Int] = [:]
    var latencies: [Double] = []
    var trainingLatencies: [Double] = []
    var pings: [Double] = []
    var longTrainings: [String] = []
    var wallSeconds = 0.0

    mutating func add(_ other: LoadClientOutcome) {
        sent += other.sent
        answered += other.answered
        lost += other.lost
        duplicated += other.duplicated
        strangers += other.strangers
        latencies += other.latencies
        trainingLatencies += other.trainingLatencies
        for (code, count) in other.errors { errors[code, default: 0] += count }
    }

    var summary: String {
        let p = { (values: [Double], f: Double) in String(format: "%.1f ms", FuzzFigures.percentile(values, f)) }
        return """
        load: \(clients) clients × \(requestsPerClient) mixed requests while two long trainings ran, in \(String(format: "%.1f", wallSeconds)) s (\(Int(Double(sent) / max(wallSeconds, 1e-9))) requests/s)
          \(sent) sent, \(answered) answered, \(lost) lost, \(duplicated) duplicated, \(strangers) with ids never sent; error replies by code: \(errors.sorted { $0.key < $1.key })
          request latency (all but trainings) p50 \(p(latencies, 0.5)), p99 \(p(latencies, 0.99)), max \(p(latencies, 1))
          small training latency (\(trainingLatencies.count)) p50 \(p(trainingLatencies, 0.5)), p99 \(p(trainingLatencies, 0.99)), max \(p(trainingLatencies, 1))
          control ping (every 10 ms, \(pings.count) pings) p50 \(p(pings, 0.5)), p99 \(p(pings, 0.99)), max \(p(pings, 1))
          long trainings ended: \(longTrainings.joined(separator: "; "))
        """
    }
}
