import BallastProtocol
import BallastTransport
import Foundation

/// Finds a running daemon through its connection file, or starts one in the background and
/// waits for it, the way an editor starts its language server.
public enum DaemonLauncher {
    /// Returns the connection info of a live daemon at `connectionFile` (default location when
    /// nil). When none answers and `spawn` is true, starts `ballastd` detached and waits for it.
    public static func connect(connectionFile: String? = nil, spawn: Bool = true,
                               daemonPath: String? = nil, timeout: Double = 20) throws(ClientError) -> ConnectionInfo {
        let path = resolvedPath(connectionFile)
        if let info = liveDaemon(at: path) { return info }
        guard spawn else {
            throw .unavailable("No daemon is running at \(path). Start one with 'ballastd --connection-file \(path)', or leave out --no-spawn.")
        }
        let lock = FileLock(path: path + ".lock")
        defer { lock.release() }
        // Another client may have started one while this one waited for the lock.
        if let info = liveDaemon(at: path) { return info }
        if FileManager.default.fileExists(atPath: path) { try? FileManager.default.removeItem(atPath: path) }
        let executable = try daemonExecutable(daemonPath)
        try start(executable, connectionFile: path)
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let info = liveDaemon(at: path) { return info }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw .unavailable("Started \(executable) but it did not answer within \(Int(timeout)) s; see \(logPath(for: path)).")
    }

    /// The connection file a client uses: the one given, else the default location.
    public static func resolvedPath(_ connectionFile: String?) -> String {
        connectionFile ?? ConnectionInfo.defaultPath
    }

    /// The info in the file when its daemon process exists and answers `ping` on the control socket.
    /// A file whose process is gone (a daemon killed with SIGKILL leaves its file behind) gives nil.
    public static func liveDaemon(at path: String) -> ConnectionInfo? {
        guard let info = try? ConnectionInfo.read(from: path) else { return nil }
        if let pid = info.pid, ProcessLiveness.isGone(pid) { return nil }
        guard let client = try? Client(info, connectionFile: path, watch: false) else { return nil }
        defer { client.close() }
        return (try? client.control(Ping.method, timeout: 2)) != nil ? info : nil
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

    /// Starts the daemon in its own session (so the terminal's Ctrl-C does not reach it), with
    /// its log beside the connection file.
    static func start(_ executable: String, connectionFile: String) throws(ClientError) {
        let folder = (connectionFile as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true,
                                                 attributes: [.posixPermissions: 0o700])
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["--connection-file", connectionFile]
        let log = logPath(for: connectionFile)
        _ = FileManager.default.createFile(atPath: log, contents: nil, attributes: [.posixPermissions: 0o600])
        process.standardOutput = FileHandle(forWritingAtPath: log)
        process.standardError = FileHandle(forWritingAtPath: log)
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch {
            throw .unavailable("Could not start \(executable): \(error.localizedDescription)")
        }
    }
}

/// An exclusive advisory lock on a file, so two clients starting at once start one daemon.
struct FileLock {
    private let fd: Int32

    init(path: String) {
        let folder = (path as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true,
                                                 attributes: [.posixPermissions: 0o700])
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        if fd >= 0 { flock(fd, LOCK_EX) }
    }

    func release() {
        guard fd >= 0 else { return }
        flock(fd, LOCK_UN)
        close(fd)
    }
}
