import BallastTransport
import Foundation

/// Everything `ballastd`'s flags can set. Defaults are safe: loopback only, ephemeral ports.
public struct ServerConfiguration: Sendable {
    /// Where the connection file is written; whatever is there is replaced, never read.
    public var connectionFile: String = ConnectionInfo.defaultPath
    public var ip: String = "127.0.0.1"
    /// Binding to anything but a loopback address needs this, and logs a warning.
    public var allowNonLoopback = false
    /// Ports to bind; nil = an ephemeral port chosen by the system.
    public var requestPort: Int?
    public var controlPort: Int?
    public var eventPort: Int?
    /// Request-socket messages larger than this are refused by ZeroMQ before they reach the
    /// daemon (the control and events sockets have small fixed limits).
    public var maxMessageBytes: Int64 = 64 << 20
    public var heartbeatIntervalMilliseconds: Int32 = 5_000
    public var heartbeatTimeoutMilliseconds: Int32 = 30_000
    /// How many recent signatures are remembered to refuse replays.
    public var replayCapacity = 65_536
    /// Long computations (training, experiments) that may compute at once; more wait for a turn,
    /// and the turns pass round between passes over the data, so every job makes progress.
    public var jobWorkers = max(1, ProcessInfo.processInfo.activeProcessorCount)
    /// Jobs that may be under way at once, each on a thread of its own (computing or waiting for a
    /// turn); more wait in arrival order for a thread.
    public var jobThreadLimit = 64
    /// The folder whose store keeps runs, models and datasets across restarts, locked for this
    /// daemon alone; nil keeps everything in memory only (`--ephemeral`). `ballastd` sets it to
    /// `StateDirectory.defaultPath` unless told otherwise; library users and tests start ephemeral.
    public var stateDirectory: String?
    /// Whether datasets are kept across restarts as column files (`--no-keep-datasets` sets it
    /// false: then none is, whatever a request's `keep` says; their provenance is still recorded).
    public var keepDatasets = true
    /// The most bytes the kept datasets' column files may hold together (`--state-max-bytes`);
    /// past it the least recently used lose their files. nil: no limit.
    public var stateMaxBytes: Int?
    /// Datasets and models may hold at most this many bytes together.
    public var memoryBudgetBytes = Int(Double(ProcessInfo.processInfo.physicalMemory) * 0.75)
    /// How long a graceful stop waits for the requests in flight to answer: it cancels them at
    /// once (refusing new ones), and answers those still running at this deadline with -32013.
    public var stopGraceSeconds: Double = 10
    /// The folders `model/save` may write into (`--write-root` adds to them): by default the
    /// working directory and `StateDirectory.defaultPath`; the state directory in use is added.
    public var writeRoots: [String] = WriteRoots.defaults
    /// How long a session whose client disconnected is kept for it to reconnect under the same
    /// identity; after that (and once its requests in flight end) it is forgotten.
    public var sessionGraceSeconds: Double = 5
    /// An unfinished `dataset/put` upload with no chunk for this long is discarded.
    public var uploadIdleSeconds: Double = 600
    /// Where the Spark sidecar is and how it reaches Spark (`--spark-sidecar`, `--spark-python`,
    /// `--spark-master`, `--spark-connect`).
    public var spark = SparkSettings()
    public var log = Log()

    public init() {}

    public static func isLoopback(_ ip: String) -> Bool {
        ip == "localhost" || ip == "::1" || ip.hasPrefix("127.")
    }
}
