import BallastML
import BallastProtocol
import Foundation

/// Builds the method tables: which handler answers which method, on which socket and lane.
/// Each group of methods registers itself from its own file (`registerLifecycle`, …), and sees
/// the daemon's state only.
struct Handlers: Sendable {
    let state: ServerState

    var workspace: Workspace { state.workspace }
    var models: Models { state.models }
    var runs: Runs { state.runs }
    var computeShare: ComputeShare { state.computeShare }
    var lifecycle: Lifecycle { state.lifecycle }
    var uptime: Double { Date().timeIntervalSince(state.started) }

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
        registerRuns(into: &table)
        return table
    }

    func controlTable() -> MethodTable {
        var table = MethodTable()
        registerControl(into: &table)
        table.register(RunCancel.self) { params, _ in try runs.cancel(run: params.run, name: params.name) }
        return table
    }

    /// Everything the daemon knows, for `initialize`; the vocabularies come with `Capabilities`.
    func capabilities() -> Initialize.Capabilities {
        Initialize.Capabilities(
            methods: requestTable().methodNames, controlMethods: controlTable().methodNames,
            notifications: [Exit.method, CancelRequest.method, WorkProgress.method, Welcome.method, RunEvent.method],
            engines: state.spark.isAvailable ? EngineName.names : [EngineName.local.rawValue])
    }
}
