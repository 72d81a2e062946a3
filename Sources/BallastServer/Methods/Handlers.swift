import BallastML
import BallastProtocol
import BallastTransport
import Foundation

/// Builds the method tables: which handler answers which method, on which socket and lane.
/// Each group of methods registers itself from its own file (`registerLifecycle`, …).
struct Handlers: Sendable {
    let server: Server
    let lifecycle: Lifecycle
    let authenticator: Authenticator

    var workspace: Workspace { server.workspace }
    var uptime: Double { Date().timeIntervalSince(server.started) }

    func requestTable() -> MethodTable {
        var table = MethodTable()
        registerLifecycle(into: &table)
        registerDatasets(into: &table)
        registerDatasetLoad(into: &table)
        registerDatasetTransforms(into: &table)
        registerWeights(into: &table)
        registerModelTrain(into: &table)
        registerModelUse(into: &table)
        registerModelFiles(into: &table)
        registerExperiments(into: &table)
        table.register(RunEvents.self) { params, _ in try server.runs.events(run: params.run, since: params.sinceSeq ?? 0) }
        return table
    }

    func controlTable() -> MethodTable {
        var table = MethodTable()
        registerControl(into: &table)
        table.register(RunCancel.self) { params, _ in try server.runs.cancel(run: params.run, name: params.name) }
        return table
    }

    /// Everything the daemon knows, for `initialize`.
    func capabilities() -> Initialize.Capabilities {
        Initialize.Capabilities(
            methods: requestTable().methodNames, controlMethods: controlTable().methodNames,
            notifications: [Exit.method, CancelRequest.method, WorkProgress.method, Welcome.method, "run/event"])
    }
}
