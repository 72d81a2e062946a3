import BallastProtocol

extension Handlers {
    /// `run/events`, `run/list`, `run/describe`, `run/compare`, `run/delete`: the runs kept in the
    /// store (and, for `run/events`, the records of live runs), answered in order.
    func registerRuns(into table: inout MethodTable) {
        table.register(RunEvents.self) { params, _ in
            let limit = params.limit ?? RunEvents.Params.defaultLimit
            guard (1...RunEvents.Params.maxLimit).contains(limit) else {
                throw RPCError.invalidParams("limit must be from 1 to \(RunEvents.Params.maxLimit), got \(limit).", field: "limit")
            }
            return try runs.events(run: params.run, since: params.sinceSeq ?? 0, limit: limit)
        }
        table.register(RunList.self) { params, _ in try runs.list(params) }
        table.register(RunDescribe.self) { params, _ in try runs.describe(params) }
        table.register(RunCompare.self) { params, _ in try runs.compare(params) }
        table.register(RunDelete.self) { params, _ in try runs.delete(params) }
    }

    /// A dataset a run reads, under the params field that named it (its `role`), with the
    /// fingerprint its content has now.
    func runDataset(_ name: String, role: String) throws(RPCError) -> RunDataset {
        RunDataset(role: role, name: name, fingerprint: try workspace.entry(name, field: role).fingerprint)
    }
}
