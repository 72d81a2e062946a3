import BallastProtocol
import BallastTransport
import Foundation

/// Stops a daemon and waits until it is really gone, so that whatever runs next finds either no
/// daemon or a fresh one, never the one that is shutting down.
public enum DaemonStopper {
    public enum Outcome: Sendable, Equatable {
        /// The daemon exited and its connection file is gone.
        case stopped(pid: Int32?)
        /// No daemon was running; `staleFileOf` names the dead daemon whose file was removed.
        case notRunning(staleFileOf: Int32?)
        /// Asked to stop, the daemon was still there after the wait.
        case stillRunning(pid: Int32?, seconds: Double)
        /// The connection file names a process that exists but does not answer a control ping.
        case notAnswering(pid: Int32)
    }

    /// Sends `shutdown` on the control socket, then waits up to `wait` seconds until the process
    /// has exited and the connection file no longer names it.
    public static func stop(connectionFile: String?, wait: Double = 60) throws(ClientError) -> Outcome {
        try WaitLimit.check(wait, named: "time to wait for the daemon to exit")
        let path = DaemonLauncher.resolvedPath(connectionFile)
        let info: ConnectionInfo
        switch DaemonLauncher.find(at: path) {
        case .live(let found): info = found
        case .none: return .notRunning(staleFileOf: removeStaleFile(at: path))
        case .notAnswering(let found):
            guard let pid = found.localPid else { throw .unavailable(DaemonLauncher.notAnswering(found, path)) }
            return .notAnswering(pid: pid)
        }
        let client = try Client(info, connectionFile: path, watch: false)
        defer { client.close() }
        do { _ = try client.control(Shutdown.method) } catch {
            // A daemon that exits before it answers has done what was asked.
            if !isGone(info, path) { throw error }
        }
        let deadline = Date().addingTimeInterval(wait)
        while !isGone(info, path) {
            if Date() >= deadline { return .stillRunning(pid: info.pid, seconds: wait) }
            Thread.sleep(forTimeInterval: 0.02)
        }
        _ = removeStaleFile(at: path)
        return .stopped(pid: info.pid)
    }

    /// Whether the daemon of `info` has exited and no longer owns the connection file (a daemon
    /// that crashed while stopping leaves its file; `removeStaleFile` clears it).
    /// A daemon on another machine has no process to look at: it is gone once it stops answering.
    static func isGone(_ info: ConnectionInfo, _ path: String) -> Bool {
        if let pid = info.localPid { return ProcessLiveness.isGone(pid) }
        if info.pid == nil { return !FileManager.default.fileExists(atPath: path) }
        return !DaemonLauncher.answersPing(info, timeout: 1)
    }

    /// Removes a connection file whose daemon process is gone; returns that process's id. The one
    /// place a client removes a connection file: a file whose process lives (or is on another
    /// machine, where it cannot be looked at) is left alone.
    @discardableResult
    public static func removeStaleFile(at path: String) -> Int32? {
        guard let info = try? ConnectionInfo.read(from: path), let pid = info.localPid, ProcessLiveness.isGone(pid) else { return nil }
        try? FileManager.default.removeItem(atPath: path)
        return pid
    }
}
