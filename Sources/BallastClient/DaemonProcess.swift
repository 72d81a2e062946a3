import BallastTransport
import Foundation

/// What a connection file's pid can tell about its daemon. The pid is a process on the daemon's
/// machine: it says something here only when the daemon listens on a loopback address. A daemon
/// reached over the network is judged by its pings alone.
public extension ConnectionInfo {
    /// The daemon's pid when it names a process on this machine (a loopback address), else nil.
    var localPid: Int32? {
        Self.isLoopback(ip) ? pid : nil
    }

    /// Whether the daemon's process is known to be gone: a local pid that names no process (or a
    /// zombie). False when that cannot be told (no pid, or a daemon on another machine).
    var processIsGone: Bool {
        localPid.map(ProcessLiveness.isGone) ?? false
    }

    /// The rule `ballastd` applies to `--ip`: 127.0.0.0/8, ::1 and localhost.
    static func isLoopback(_ ip: String) -> Bool {
        ip == "localhost" || ip == "::1" || ip.hasPrefix("127.")
    }
}
