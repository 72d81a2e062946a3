import Foundation

/// A `ballastd` a client started in the background: in its own session (so the terminal's
/// Ctrl-C does not reach it), its output appended to the log beside the connection file.
final class DaemonSpawn {
    let process: Process
    /// The daemon's log, beside the connection file.
    let log: String
    /// Where this start's lines begin in the log (earlier starts wrote before them).
    private let logStart: UInt64

    init(_ executable: String, connectionFile: String, arguments: [String] = []) throws(ClientError) {
        let folder = (connectionFile as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true,
                                                 attributes: [.posixPermissions: 0o700])
        log = DaemonLauncher.logPath(for: connectionFile)
        // Never through a link, private from its first byte, appended to (a daemon still running
        // may write to it too).
        let fd = open(log, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            let error = errno
            let reason = String(cString: strerror(error))
            throw .unavailable("Could not open the daemon's log \(log): \(reason)"
                               + " (a symbolic link there is refused; remove it).")
        }
        var status = stat()
        logStart = fstat(fd, &status) == 0 ? UInt64(status.st_size) : 0
        let output = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["--connection-file", connectionFile] + arguments
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch {
            throw .unavailable("Could not start \(executable): \(error.localizedDescription)")
        }
    }

    /// The exit status and what the daemon printed, once it has exited; nil while it runs.
    func earlyExit() -> (status: Int32, printed: String)? {
        guard !process.isRunning else { return nil }
        return (process.terminationStatus, printed())
    }

    /// What this start wrote to the log, at most a few lines' worth, trimmed.
    private func printed() -> String {
        guard let handle = FileHandle(forReadingAtPath: log) else { return "" }
        defer { try? handle.close() }
        try? handle.seek(toOffset: logStart)
        let data = (try? handle.read(upToCount: 4096)) ?? Data()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// An exclusive advisory lock on a file, so two clients starting at once start one daemon.
struct FileLock {
    private let fd: Int32

    init(path: String) throws(ClientError) {
        let folder = (path as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true,
                                                 attributes: [.posixPermissions: 0o700])
        fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            let error = errno
            let reason = String(cString: strerror(error))
            throw .unavailable("Could not open the start lock \(path): \(reason) (a symbolic link there is refused; remove it).")
        }
        while flock(fd, LOCK_EX) != 0 && errno == EINTR {}
    }

    func release() {
        flock(fd, LOCK_UN)
        close(fd)
    }
}
