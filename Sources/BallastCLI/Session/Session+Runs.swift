import BallastProtocol
import Foundation

/// Where the last `runs` listing stopped: its params (filters, sort, page size, and the
/// client's own `@metrics`) and the offset of its next page, nil after the last page.
struct RunPages: Sendable, Equatable {
    var params: [String: JSONValue]
    var nextOffset: Int?
}

/// `runs next`, and the run ids and metric names that completion offers, from the daemon.
extension Session {
    /// The params of the next page of the last listing, or nil (with a line saying why) when the
    /// last page has been shown.
    func nextRunPage() throws(Failure) -> [String: JSONValue]? {
        guard let pages = runPages else {
            throw .usage("There is no listing to go on with: 'runs' (with any filters) shows the first page.")
        }
        guard let offset = pages.nextOffset else {
            emitText("  no more runs: the last listing ended on its last page ('runs offset=0' starts again)")
            return nil
        }
        var params = pages.params
        params["offset"] = .int(Int64(offset))
        return params
    }

    /// Up to 200 runs the daemon keeps, newest first, for completion (nothing from a daemon
    /// without `run/list`).
    private func recentRuns() -> [JSONValue] {
        guard grammar.vocabulary.methods.contains(RunList.method) else { return [] }
        return (try? request(RunList.method, ["limit": 200]))?["runs"]?.arrayValue ?? []
    }

    func runIDs() -> [String] {
        recentRuns().compactMap { $0["run"]?.stringValue }
    }

    /// Every final metric name of the recent runs, sorted.
    func runMetricNames() -> [String] {
        Set(recentRuns().flatMap { ($0["metrics"]?.objectValue ?? [:]).keys }).sorted()
    }
}
