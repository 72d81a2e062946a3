import Foundation

/// Whether a process id still names a running process on this machine.
public enum ProcessLiveness {
    /// True when `pid` names no process, or only a zombie (a process that has exited and waits
    /// for its parent to collect its status: it answers `kill(pid, 0)` but will never serve).
    public static func isGone(_ pid: Int32) -> Bool {
        if kill(pid, 0) != 0 {
            let error = errno
            // EPERM: it exists but belongs to another user.
            return error == ESRCH
        }
        return isZombie(pid)
    }

    /// The state letter in `/proc/PID/stat` is the first field after the command in parentheses.
    private static func isZombie(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        let rest = stat[stat.index(after: close)...].drop(while: { $0 == " " })
        return rest.first == "Z" || rest.first == "X"
    }
}
