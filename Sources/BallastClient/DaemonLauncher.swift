import BallastProtocol
import BallastTransport
import Foundation

/// Finds a running daemon through its connection file, or starts one in the background and
/// waits for it, the way an editor starts its language server.
///
/// - Important: a connection file is removed only when its daemon's process is gone
///   (`DaemonStopper.removeStaleFile`). A daemon that lives but does not answer is reported, never
///   cut off: starting a second one beside it could not serve (the first holds the daemon lock).
public enum DaemonLauncher {
    /// What a connection file leads to.
    public enum Finding: Sendable, Equatable {
        /// A daemon that answers a control `ping`.
        case live(ConnectionInfo)
        /// No file, an unreadable one, or one whose process is gone: a daemon may be started.
        case none
        /// A daemon that may live but does not answer: its process exists (or, on another machine,
        /// cannot be looked at). Nothing may be started in its place.
        case notAnswering(ConnectionInfo)
    }

    /// Seconds a daemon found through its file has to answer `ping` before it counts as not answering.
    public static let pingTimeout = 2.0

    /// Returns the connection info of a live daemon at `connectionFile` (default location when
    /// nil). When none runs and `spawn` is true, starts `ballastd` detached, with
    /// `daemonArguments` after its connection file (`--state-dir DIR`, `--ephemeral`), and waits for it.
    public static func connect(connectionFile: String? = nil, spawn: Bool = true, daemonPath: String? = nil,
                               daemonArguments: [String] = [], timeout: Double = 20) throws(ClientError) -> ConnectionInfo {
        try WaitLimit.check(timeout)
        let path = resolvedPath(connectionFile)
        if let info = try usable(find(at: path), path) { return info }
        guard spawn else {
            throw .unavailable("No daemon is running at \(path). Start one with 'ballastd --connection-file \(path)', or leave out --no-spawn.")
        }
        let lock = try FileLock(path: path + ".lock")
        defer { lock.release() }
        // Another client may have started one while this one waited for the lock.
        if let info = try usable(find(at: path), path) { return info }
        DaemonStopper.removeStaleFile(at: path)
        let executable = try daemonExecutable(daemonPath)
        let started = try DaemonSpawn(executable, connectionFile: path, arguments: daemonArguments)
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let info = liveDaemon(at: path) { return info }
            if let exit = started.earlyExit() {
                // Most often another daemon holds the daemon lock: say so now, not after `timeout`.
                throw .unavailable("Started \(executable), but it exited at once with status \(exit.status)"
                                   + (exit.printed.isEmpty ? "; see \(started.log)." : ": \(exit.printed)"))
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw .unavailable("Started \(executable) but it did not answer within \(Int(timeout)) s; see \(started.log).")
    }

    /// The info of a live daemon, nil when one may be started, and an error for a daemon that
    /// lives but does not answer.
    private static func usable(_ finding: Finding, _ path: String) throws(ClientError) -> ConnectionInfo? {
        switch finding {
        case .live(let info): return info
        case .none: return nil
        case .notAnswering(let info): throw .unavailable(notAnswering(info, path))
        }
    }

    /// The sentence for a daemon that lives but did not answer `ping`.
    public static func notAnswering(_ info: ConnectionInfo, _ path: String) -> String {
        let wait = "within \(Int(pingTimeout)) s"
        guard let pid = info.localPid else {
            return "The daemon at \(info.ip) named in \(path) is not answering (no ping reply \(wait)); "
                + "no local daemon is started in its place. Check that daemon, or give another --connection-file."
        }
        return "The daemon (pid \(pid)) named in \(path) is running but not answering (no ping reply \(wait)); "
            + "stop it with 'ballast stop' or 'kill \(pid)', then try again."
    }

    /// The connection file a client uses: the one given, else the default location.
    public static func resolvedPath(_ connectionFile: String?) -> String {
        connectionFile ?? ConnectionInfo.defaultPath
    }

    /// What the connection file at `path` leads to (see `Finding`). A file whose local process is
    /// gone (a daemon killed with SIGKILL leaves its file behind) gives `.none`; so does a loopback
    /// file without a pid, since the daemon lock stops a second daemon from serving beside a first.
    public static func find(at path: String) -> Finding {
        guard let info = try? ConnectionInfo.read(from: path), !info.processIsGone else { return .none }
        if answersPing(info, connectionFile: path, timeout: pingTimeout) { return .live(info) }
        return info.localPid != nil || !ConnectionInfo.isLoopback(info.ip) ? .notAnswering(info) : .none
    }

    /// The info in the file when its daemon answers `ping` on the control socket.
    public static func liveDaemon(at path: String) -> ConnectionInfo? {
        if case .live(let info) = find(at: path) { return info }
        return nil
    }

    /// Whether the daemon of `info` answers a control `ping` within `timeout` seconds.
    static func answersPing(_ info: ConnectionInfo, connectionFile: String? = nil, timeout: Double) -> Bool {
        guard let client = try? Client(info, connectionFile: connectionFile, watch: false) else { return false }
        defer { client.close() }
        return (try? client.control(Ping.method, timeout: timeout)) != nil
    }

    public static func logPath(for connectionFile: String) -> String {
        (connectionFile as NSString).deletingPathExtension + ".log"
    }

    /// `$BALLASTD`, else `ballastd` beside the running executable, else `ballastd` on PATH.
    static func daemonExecutable(_ explicit: String?) throws(ClientError) -> String {
        let manager = FileManager.default
        if let chosen = explicit ?? ProcessInfo.processInfo.environment["BALLASTD"], !chosen.isEmpty {
            return chosen
        }
        if let own = try? manager.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            let sibling = (own as NSString).deletingLastPathComponent + "/ballastd"
            if manager.isExecutableFile(atPath: sibling) { return sibling }
        }
        for folder in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let candidate = "\(folder)/ballastd"
            if manager.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw .unavailable("Could not find the ballastd executable: set BALLASTD or put it on PATH.")
    }
}
