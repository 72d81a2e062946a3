import ArgumentParser
import BallastServer
import Foundation
import Logging

/// `ballastd`: the Ballast daemon. Clients find it through its connection file.
struct BallastDaemon: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ballastd",
        abstract: "Hold imbalanced datasets and models in memory and serve them over signed JSON-RPC on ZeroMQ.",
        discussion: """
        The daemon binds three sockets (request, control, events) on 127.0.0.1, then writes a \
        connection file (mode 0600) with their ports and a key, fresh on every start, that signs \
        every message. A file already at that path is replaced, never read: ports come from the \
        flags only. While it runs, the daemon holds <connection file>.daemon.lock, so a second \
        daemon on the same file exits at once. See protocol/README.md.

        The workspace (runs and their events, models, datasets) is kept in a state directory and \
        comes back after a restart; --ephemeral keeps it in memory only. One daemon at a time \
        holds a state directory.

        Exit status: 0 after a clean stop; 1 when another daemon already serves the connection \
        file or holds the state directory, or after 'exit' without 'shutdown'; 2 when it could \
        not start (a damaged store or one written by a newer Ballast among the reasons).
        """)

    @Option(help: "Where to write the connection file; its folder must be yours and writable by nobody else (not /tmp itself: use \"$(mktemp -d)/ballastd.json\"). Default: $BALLAST_CONNECTION_FILE, else $XDG_RUNTIME_DIR/ballast/ballastd.json, else $XDG_STATE_HOME or ~/.local/state, then /ballast/ballastd.json.")
    var connectionFile: String?

    @Option(help: "The address to listen on.")
    var ip = "127.0.0.1"

    @Flag(help: "Allow listening on an address that is not loopback (anyone who can reach it and holds the key can drive the daemon).")
    var allowRemote = false

    @Option(help: "Request socket port (default: ephemeral).")
    var requestPort: Int?
    @Option(help: "Control socket port.")
    var controlPort: Int?
    @Option(help: "Events socket port.")
    var eventPort: Int?

    @Option(help: "Exit when the process with this id ends (for editors that launch the daemon).")
    var parentPid: Int32?

    @Option(help: "Largest message accepted on the request socket, in bytes (the control socket takes 64 KiB, the events socket 1 KiB).")
    var maxMessageBytes: Int64 = 64 << 20

    @Option(help: "Long computations that compute at once; more take turns with them between passes over the data.")
    var workers: Int?

    @Option(help: "Memory budget for datasets and models, in bytes (suffixes K, M, G allowed). Default: 75% of RAM.")
    var memoryBudget: String?

    @Option(help: "How many recent message signatures to remember against replays.")
    var replayCache = 65_536

    @Option(name: .customLong("write-root"),
            help: "A folder model/save may write into, besides the working directory (unless it is /) and $XDG_STATE_HOME/ballast (else ~/.local/state/ballast). Repeat for more.")
    var writeRoots: [String] = []

    @Option(help: "Where the workspace (runs, models, datasets) is kept across restarts, locked for this daemon alone. Default: $BALLAST_STATE_DIR, else $XDG_STATE_HOME/ballast, else ~/.local/state/ballast.")
    var stateDir: String?

    @Flag(help: "Keep everything in memory only: nothing is read from or written to a state directory.")
    var ephemeral = false

    @Flag(help: "Keep no dataset across restarts (models and runs still are): datasets live in memory only, whatever a request's \"keep\" says; only their provenance is recorded. Datasets an earlier daemon kept still come back.")
    var noKeepDatasets = false

    @Option(help: "The most the kept datasets' column files in the state directory may hold together, in bytes (suffixes K, M, G allowed); past it the least recently used lose their files, and their provenance stays. Default: no limit.")
    var stateMaxBytes: String?

    @Option(help: "Seconds a graceful stop (SIGTERM, SIGINT, a shutdown request) gives running jobs to notice their cancellation and answer; those still running then are answered with a shutdown error.")
    var stopGrace: Double = 10

    @Option(help: "The least severe messages logged: \(Self.levelNames).")
    var logLevel = "info"

    @Option(help: "The Spark master that engine=spark fits on, passed to the Spark sidecar (default: local[*], Spark inside the sidecar on this machine).")
    var sparkMaster: String?

    @Option(help: "A Spark Connect server (sc://host:port) that engine=spark fits on, instead of --spark-master.")
    var sparkConnect: String?

    @Option(help: "The Spark sidecar's folder, holding the ballast_spark package. Default: $BALLAST_SPARK_SIDECAR, else sidecars/spark of the checkout ballastd was built in, else an installed ballast_spark.")
    var sparkSidecar: String?

    @Option(help: "The Python that runs the Spark sidecar (it needs pyspark and a Java runtime). Default: $BALLAST_PYTHON, else python3.")
    var sparkPython: String?

    static let levelNames = Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")

    func validate() throws {
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level must be one of \(Self.levelNames).")
        }
        if let memoryBudget, Self.bytes(memoryBudget) == nil {
            throw ValidationError("--memory-budget must be a number of bytes, optionally with K, M or G, like 8G.")
        }
        if let stateMaxBytes, Self.bytes(stateMaxBytes) == nil {
            throw ValidationError("--state-max-bytes must be a number of bytes, optionally with K, M or G, like 20G.")
        }
        if ephemeral && (noKeepDatasets || stateMaxBytes != nil) {
            throw ValidationError("--ephemeral keeps no dataset: --no-keep-datasets and --state-max-bytes apply only with a state directory.")
        }
        if let workers, workers < 1 { throw ValidationError("--workers must be at least 1.") }
        if !(stopGrace >= 0 && stopGrace.isFinite) { throw ValidationError("--stop-grace must be a number of seconds, 0 or more.") }
        if sparkMaster != nil && sparkConnect != nil {
            throw ValidationError("--spark-master and --spark-connect each say where Spark runs: give one of them.")
        }
        if let sparkConnect, !sparkConnect.hasPrefix("sc://") {
            throw ValidationError("--spark-connect takes a Spark Connect address, like sc://spark.example.com:15002.")
        }
        if let sparkSidecar {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: sparkSidecar, isDirectory: &isFolder), isFolder.boolValue else {
                throw ValidationError("--spark-sidecar \(sparkSidecar) is not a folder.")
            }
        }
        if replayCache < 1 { throw ValidationError("--replay-cache must be at least 1.") }
        // initialize announces it, so that clients refuse a larger frame: a limit, never libzmq's -1.
        if maxMessageBytes < 1 { throw ValidationError("--max-message-bytes must be at least 1.") }
        if ephemeral && stateDir != nil { throw ValidationError("--ephemeral keeps no state: give it or --state-dir, not both.") }
        for root in writeRoots {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: root, isDirectory: &isFolder), isFolder.boolValue else {
                throw ValidationError("--write-root \(root) is not a folder.")
            }
        }
    }

    static func bytes(_ text: String) -> Int? {
        let units: [Character: Int] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30]
        if let last = text.uppercased().last, let unit = units[last] {
            return Double(text.dropLast()).map { Int($0 * Double(unit)) }
        }
        return Int(text)
    }

    func run() throws {
        var config = ServerConfiguration()
        if let connectionFile { config.connectionFile = connectionFile }
        config.ip = ip
        config.allowNonLoopback = allowRemote
        config.requestPort = requestPort
        config.controlPort = controlPort
        config.eventPort = eventPort
        config.maxMessageBytes = maxMessageBytes
        config.replayCapacity = replayCache
        config.stopGraceSeconds = stopGrace
        if let workers { config.jobWorkers = workers }
        if let memoryBudget, let bytes = Self.bytes(memoryBudget) { config.memoryBudgetBytes = bytes }
        config.writeRoots += writeRoots
        config.stateDirectory = ephemeral ? nil : (stateDir ?? StateDirectory.defaultPath)
        config.keepDatasets = !noKeepDatasets
        config.stateMaxBytes = stateMaxBytes.flatMap(Self.bytes)
        config.spark = SparkSettings(sidecarDirectory: sparkSidecar.map { URL(fileURLWithPath: $0).standardizedFileURL.path },
                                     python: sparkPython, master: sparkMaster, connect: sparkConnect)
        // The process's one bootstrap: every Logger made from here on writes ballastd's lines.
        LoggingSystem.bootstrap { LogLineHandler(label: $0) }
        var logger = Logger(label: LogLineHandler.daemonLabel)
        logger.logLevel = Logger.Level(rawValue: logLevel)!
        config.log = Log(logger)

        let log = config.log
        let server = Server(configuration: config)
        // Signals are watched before binding, so a SIGTERM during start-up still stops cleanly.
        let signals = SignalWatcher { signal in
            log(.info, "Received \(signal); stopping gracefully.")
            server.requestStop(exitCode: 0)
        }
        do {
            try server.start()
        } catch let error as ServerStartError {
            log(.error, "Could not start: \(error)")
            throw ExitCode(error.exitStatus)
        } catch {
            log(.error, "Could not start: \(error)")
            throw ExitCode(2)
        }
        if let parentPid {
            ParentWatcher.watch(pid: parentPid) {
                log(.info, "The parent process \(parentPid) has ended; stopping.")
                server.requestStop(exitCode: 0)
            }
        }
        let code = server.waitUntilStopped()
        withExtendedLifetime(signals) {}
        throw ExitCode(code)
    }
}

// As `ParsableCommand.main()`, except that a usage error exits 2, as the help says, not
// ArgumentParser's 64 (EX_USAGE).
do {
    var command = try BallastDaemon.parseAsRoot()
    try command.run()
} catch {
    if BallastDaemon.exitCode(for: error) == .validationFailure {
        FileHandle.standardError.write(Data((BallastDaemon.fullMessage(for: error) + "\n").utf8))
        exit(2)
    }
    BallastDaemon.exit(withError: error)
}
