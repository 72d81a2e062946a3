import BallastProtocol
import BallastStore
import Foundation

/// `run/list`, `run/describe`, `run/compare`, `run/delete`: the store's runs in wire shapes. Live
/// runs are in the store from their start (`running`), so every method sees them too.
extension Runs {
    static let pageLimit = 1_000
    /// The most metrics or params one `run/compare` may name, and the most cells (runs × columns)
    /// its table may hold: it runs on the ordered lane, which every session shares.
    static let compareColumnLimit = 1_000
    static let compareCellLimit = 1_000_000

    func list(_ params: RunList.Params) throws(RPCError) -> RunList.Result {
        var query = RunQuery()
        query.dataset = params.dataset
        query.model = params.model
        query.modelType = params.modelType?.rawValue
        query.loss = params.loss?.rawValue
        query.status = params.status
        query.method = params.method
        query.since = try params.since.map { text throws(RPCError) in try Self.date(text, field: "since") }
        query.until = try params.until.map { text throws(RPCError) in try Self.date(text, field: "until") }
        switch params.sortBy {
        case nil, "started": query.sortBy = .started
        case "ended": query.sortBy = .ended
        case "seconds": query.sortBy = .seconds
        case let metric?:
            guard !metric.isEmpty else {
                throw .invalidParams("sort_by is 'started', 'ended', 'seconds' or a metric's name (validation.f1), got an empty name.",
                                     field: "sort_by")
            }
            // A name no run has would list the runs in start order as if sorted: say so instead.
            let known = try storeAnswer { () throws(StoreError) in try store.metricNames() }
            guard known.isEmpty || known.contains(metric) else {
                let hint = Suggestion.closest(to: metric, among: known).map { " Did you mean '\($0)'?" } ?? ""
                throw RPCError(code: ErrorCode.invalidParams,
                               message: "No run has a metric named '\(metric)' to sort by: sort_by is 'started', 'ended', 'seconds' or one of the runs' metrics.\(hint)",
                               data: ["field": "sort_by", "known": .array(known.prefix(200).map { .string($0) })])
            }
            query.sortBy = .metric(metric)
        }
        query.ascending = params.order == .ascending
        query.limit = params.limit ?? 50
        guard (1...Self.pageLimit).contains(query.limit) else {
            throw .invalidParams("limit must be from 1 to \(Self.pageLimit), got \(query.limit).", field: "limit")
        }
        query.offset = params.offset ?? 0
        guard query.offset >= 0 else { throw .invalidParams("offset must be 0 or more, got \(query.offset).", field: "offset") }
        let page = try storeAnswer { () throws(StoreError) in try store.listRuns(query) }
        let next = query.offset + page.runs.count
        return RunList.Result(runs: page.runs.map(Self.summary), total: page.total,
                              nextOffset: next < page.total && !page.runs.isEmpty ? next : nil)
    }

    func describe(_ params: RunDescribe.Params) throws(RPCError) -> RunDescribe.Result {
        let found = try storeAnswer { () throws(StoreError) -> (StoredRun, Int)? in
            guard let run = try store.run(id: params.run) else { return nil }
            return (run, try store.eventCount(run: params.run))
        }
        guard let (run, count) = found else { throw notFound(params.run, field: "run") }
        // A live run's records are counted as made: some may still wait in the writer's queue.
        let liveCount = liveRun(run.id)?.eventCount
        return RunDescribe.Result(summary: Self.summary(run), params: run.params, config: run.config, result: run.result,
                                  eventCount: liveCount ?? count)
    }

    /// Metrics default to every metric the runs have; params to the paths of the params as sent
    /// whose values differ between the runs (every path, for one run).
    func compare(_ params: RunCompare.Params) throws(RPCError) -> RunCompare.Result {
        try Self.checkCount(params.runs, field: "runs")
        try Self.refuseRepeated(params.runs)
        for (field, names) in [("metrics", params.metrics), ("params", params.params)] {
            guard let names, names.count > Self.compareColumnLimit else { continue }
            throw .invalidParams("Give at most \(Self.compareColumnLimit) \(field), got \(names.count).", field: field)
        }
        // Before reading the store, with the columns named; again once the defaults are known.
        try Self.checkCells(runs: params.runs.count, metrics: params.metrics?.count ?? 0, params: params.params?.count ?? 0,
                            field: "runs")
        let found = try storeAnswer { () throws(StoreError) in try store.runs(ids: params.runs) }
        let runs = try params.runs.enumerated().map { index, id throws(RPCError) -> StoredRun in
            guard let run = found[id] else { throw notFound(id, field: "runs[\(index)]") }
            return run
        }
        let metrics = params.metrics ?? Set(runs.flatMap(\.metricValues.keys)).sorted()
        let paths = params.params ?? ParamPaths.differing(runs.map(\.params))
        try Self.checkCells(runs: runs.count, metrics: metrics.count, params: paths.count,
                            field: params.metrics == nil ? "metrics" : params.params == nil ? "params" : "runs")
        let rows = runs.map { run in
            RunCompare.Row(run: run.id, metrics: metrics.map { run.metricValues[$0] },
                           params: paths.map { ParamPaths.value(at: $0, in: run.params) ?? .null })
        }
        return RunCompare.Result(metrics: metrics, params: paths, rows: rows)
    }

    /// All or nothing: an unknown run or one still running refuses the whole request.
    func delete(_ params: RunDelete.Params) throws(RPCError) -> RunDelete.Result {
        try Self.checkCount(params.runs, field: "runs")
        let found = try storeAnswer { () throws(StoreError) in try store.runs(ids: params.runs) }
        for (index, id) in params.runs.enumerated() {
            let live = liveRun(id) != nil
            guard live || found[id] != nil else { throw notFound(id, field: "runs[\(index)]") }
            if live || found[id]?.status == .running {
                throw RPCError(code: ErrorCode.conflict,
                               message: "The run '\(id)' is still running: cancel it (run/cancel) and wait for its end before deleting it.",
                               data: .object(["field": .string("runs[\(index)]"), "run": .string(id)]))
            }
        }
        var seen = Set<String>()
        let unique = params.runs.filter { seen.insert($0).inserted }
        let deleted = try storeAnswer { () throws(StoreError) in try store.deleteRuns(unique) }
        return RunDelete.Result(deleted: deleted)
    }

    /// The table's cells (runs × columns) within `compareCellLimit`; `field` is the one to give
    /// (a defaulted column list) or to shorten.
    private static func checkCells(runs: Int, metrics: Int, params: Int, field: String) throws(RPCError) {
        guard runs * (metrics + params) > compareCellLimit else { return }
        throw .invalidParams("The table would hold \(runs) runs × \(metrics + params) columns, more than \(compareCellLimit) "
                             + "cells: compare fewer runs, or name fewer metrics and params.", field: field)
    }

    /// A run listed twice would be a row twice: refuse it, naming the second place.
    private static func refuseRepeated(_ runs: [String]) throws(RPCError) {
        var seen = Set<String>()
        for (index, id) in runs.enumerated() where !seen.insert(id).inserted {
            throw .invalidParams("The run '\(id)' is listed twice: give each run once.", field: "runs[\(index)]")
        }
    }

    private static func checkCount(_ runs: [String], field: String) throws(RPCError) {
        guard !runs.isEmpty, runs.count <= pageLimit else {
            throw .invalidParams("Give from 1 to \(pageLimit) run ids, got \(runs.count).", field: field)
        }
    }

    private func storeAnswer<T>(_ body: () throws(StoreError) -> T) throws(RPCError) -> T {
        do { return try body() } catch { throw Self.storeFailed(error) }
    }

    static func summary(_ run: StoredRun) -> RunSummary {
        RunSummary(run: run.id, method: run.method, status: run.status, started: WireDate.string(run.started),
                   ended: run.ended.map(WireDate.string), seconds: run.seconds, datasets: run.datasets, model: run.model,
                   modelType: run.modelType, loss: run.loss, metrics: run.metricValues, message: run.message)
    }

    private static func date(_ text: String, field: String) throws(RPCError) -> Date {
        guard let date = WireDate.parse(text) else {
            throw .invalidParams("\(field) must be an ISO 8601 date or time (2026-11-30, 2026-11-30T08:35:38Z), got '\(text)'.",
                                 field: field)
        }
        return date
    }
}
