import Foundation

/// A daemon that stopped serving while a client waited for it: it exited (or was killed), another
/// daemon replaced it in the connection file, or it stopped answering pings.
public struct DaemonGone: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Reason: Sendable, Equatable {
        /// The process is gone.
        case exited
        /// The connection file now names another daemon (pid, or key when the pid is the same).
        case replaced(by: Int32?)
        /// The process exists but has answered no control `ping` for this many seconds.
        case unresponsive(seconds: Double)
    }

    public var reason: Reason
    /// The daemon's process id, when its connection file named one.
    public var pid: Int32?
    /// The method whose reply the client was waiting for.
    public var waitingFor: String
    /// The connection file the client found the daemon through, when it knows it.
    public var connectionFile: String?

    public init(reason: Reason, pid: Int32?, waitingFor: String, connectionFile: String?) {
        self.reason = reason
        self.pid = pid
        self.waitingFor = waitingFor
        self.connectionFile = connectionFile
    }

    private var daemon: String { pid.map { "The daemon (pid \($0))" } ?? "The daemon" }

    /// What happened, in one sentence.
    public var description: String {
        switch reason {
        case .exited:
            return "\(daemon) has stopped while '\(waitingFor)' waited for its reply; the request is lost."
        case .replaced(let other):
            let by = other.map { "another daemon (pid \($0))" } ?? "another daemon"
            return "\(daemon) was replaced by \(by) while '\(waitingFor)' waited for its reply; the request is lost."
        case .unresponsive(let seconds):
            let kill = pid.map { " (end it with 'kill \($0)')" } ?? ""
            return "\(daemon) has answered no ping for \(Int(seconds.rounded())) s while '\(waitingFor)' waited for its reply; it seems stuck\(kill)."
        }
    }

    /// How to get a daemon again, for a front door that does not start one itself.
    public var advice: String {
        let file = connectionFile.map { " --connection-file \($0)" } ?? ""
        return "Start a new one with 'ballastd\(file)', or run any 'ballast' command, which starts one."
    }
}
