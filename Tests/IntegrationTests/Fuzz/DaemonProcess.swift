import BallastClient
import BallastTransport
import Foundation
import XCTest

/// The real `ballastd` binary as a child process, in a private folder that is also its working
/// directory, so what it costs is its own (its RSS) and what it writes stays in that folder.
/// `BALLASTD` names another binary (a release build, say) to measure instead of the one beside the tests.
/// Ephemeral unless given a state directory, which may outlive it (and be handed to the next one).
final class DaemonProcess {
    let folder: String
    let process = Process()
    let info: ConnectionInfo
    let memoryBudgetBytes: Int

    var pid: Int32 { process.processIdentifier }
    var connectionFile: String { folder + "/ballastd.json" }

    init(memoryBudgetBytes: Int = 256 << 20, workers: Int = 2, label: String = "daemon", stateDirectory: String? = nil) throws {
        self.memoryBudgetBytes = memoryBudgetBytes
        folder = NSTemporaryDirectory() + "ballast-\(label)-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let binary = ProcessInfo.processInfo.environment["BALLASTD"].flatMap { $0.isEmpty ? nil : $0 }
        process.executableURL = URL(fileURLWithPath: try binary ?? BuiltProducts.path("ballastd"))
        process.currentDirectoryURL = URL(fileURLWithPath: folder)
        process.arguments = ["--connection-file", folder + "/ballastd.json", "--memory-budget", String(memoryBudgetBytes),
                             "--workers", String(workers), "--log-level", "critical"]
            + (stateDirectory.map { ["--state-dir", $0] } ?? ["--ephemeral"])
        try process.run()
        let deadline = Date().addingTimeInterval(20)
        var found: ConnectionInfo?
        while Date() < deadline && process.isRunning {
            if let read = try? ConnectionInfo.read(from: folder + "/ballastd.json"), read.pid == process.processIdentifier {
                found = read
                break
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
        guard let found else {
            if process.isRunning { process.terminate() }
            throw DaemonProcessError("ballastd did not write its connection file within 20 s")
        }
        info = found
    }

    /// Whether the process still runs (it has neither exited nor been killed).
    var isAlive: Bool { process.isRunning && kill(pid, 0) == 0 }

    /// The resident set size in bytes, from /proc/<pid>/status (VmRSS), or nil once it is gone.
    var residentBytes: Int? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            let kilobytes = line.split(separator: " ").compactMap { Int($0) }.first
            return kilobytes.map { $0 * 1024 }
        }
        return nil
    }

    /// Stops it with SIGTERM and waits (a generous bound that only catches a hang); true when it exited.
    @discardableResult
    func stop(timeout: Double = 30) -> Bool {
        if process.isRunning { process.terminate() }
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        if process.isRunning { kill(pid, SIGKILL) }
        return !process.isRunning
    }

    /// Kills it with SIGKILL, as a crash or the OOM killer would, and waits until it is gone (a
    /// bound that only catches a hang); true when it is.
    @discardableResult
    func killAbruptly(timeout: Double = 30) -> Bool {
        if process.isRunning { kill(pid, SIGKILL) }
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.005) }
        return !process.isRunning
    }

    /// How it ended, for a failure message: "exit 0", "signal 9", or "running".
    var ending: String {
        if process.isRunning { return "running" }
        return process.terminationReason == .uncaughtSignal ? "signal \(process.terminationStatus)" : "exit \(process.terminationStatus)"
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(atPath: folder)
    }
}

struct DaemonProcessError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
