import BallastStore
import BallastTransport
import Foundation

/// What the handlers work with: the daemon's state (workspace, models, runs, sessions, the share
/// of the cores, the lifecycle), never the daemon itself, which owns sockets and threads.
struct ServerState: Sendable {
    let workspace: Workspace
    let models: Models
    let runs: Runs
    let sessions: Sessions
    let computeShare: ComputeShare
    let lifecycle: Lifecycle
    let authenticator: Authenticator
    let started: Date
    /// Where `model/save` may write.
    let writeRoots: WriteRoots
    /// Runs, models and datasets kept across restarts; in memory only for an ephemeral daemon
    /// (`--ephemeral`, and tests by default), where `store.isPersistent` is false.
    let store: Store
    /// The unfinished `dataset/put` uploads.
    let uploads: Uploads
    /// The Spark sidecar `engine: "spark"` fits with (started on first use).
    let spark: SparkSidecar
    let log: Log
    /// The request socket's per-frame limit (`--max-message-bytes`), which `initialize` announces.
    let maxMessageBytes: Int64
}
