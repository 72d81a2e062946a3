import BallastClient
import BallastProtocol
import BallastTransport
import Foundation
import XCTest

/// A daemon that lives but does not answer is reported, never cut off: its connection file stays
/// and no second daemon is started beside it. A start that loses the daemon lock says so at once
/// with what the daemon printed. A daemon on another address is judged by pings, not by a pid
/// looked up among this machine's processes.
final class StuckDaemonTests: XCTestCase {
    private var folder: String!
    private var path: String { folder + "/ballastd.json" }
    private var started: [Process] = []

    override func setUpWithError() throws {
        folder = NSTemporaryDirectory() + "ballast-stuck-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
    }

    override func tearDownWithError() throws {
        for process in started where process.isRunning {
            kill(process.processIdentifier, SIGCONT)
            process.terminate()
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// A `ballastd` of this test's own (so it can be stopped, resumed and killed).
    private func launch(_ extra: [String] = []) throws -> (Process, ConnectionInfo) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try BuiltProducts.path("ballastd"))
        process.arguments = ["--connection-file", path, "--log-level", "error", "--ephemeral"] + extra
        try process.run()
        started.append(process)
        // Bounded only to catch a daemon that never starts.
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if let info = try? ConnectionInfo.read(from: path), info.pid == process.processIdentifier,
               let client = try? Client(info, watch: false) {
                defer { client.close() }
                if (try? client.control(Ping.method)) != nil { return (process, info) }
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
        throw XCTSkip("ballastd did not start")
    }

    func testAStuckDaemonIsReportedAndItsFileKept() throws {
        let (process, info) = try launch()
        let pid = process.processIdentifier
        Self.stopAndWait(pid)
        defer { kill(pid, SIGCONT) }
        XCTAssertThrowsError(try DaemonLauncher.connect(connectionFile: path, daemonPath: try BuiltProducts.path("ballastd"), daemonArguments: ["--ephemeral"])) { error in
            guard case .unavailable(let message) = error as? ClientError else { return XCTFail("\(error)") }
            XCTAssertTrue(message.contains("(pid \(pid))") && message.contains("not answering"), message)
            XCTAssertTrue(message.contains("'ballast stop' or 'kill \(pid)'"), message)
        }
        XCTAssertEqual(try ConnectionInfo.read(from: path), info, "the live daemon's file is left alone")
        XCTAssertFalse(FileManager.default.fileExists(atPath: DaemonLauncher.logPath(for: path)), "no second daemon was started")
        kill(pid, SIGCONT)
        XCTAssertEqual(DaemonLauncher.liveDaemon(at: path), info, "resumed, it serves again")
    }

    func testAStartThatLosesTheDaemonLockSaysSoAtOnce() throws {
        let (process, _) = try launch()
        // The first daemon still holds <file>.daemon.lock, but its file is gone: a client starts
        // another, which exits at once.
        try FileManager.default.removeItem(atPath: path)
        XCTAssertThrowsError(try DaemonLauncher.connect(connectionFile: path, daemonPath: try BuiltProducts.path("ballastd"), daemonArguments: ["--ephemeral"],
                                                        timeout: 60)) { error in
            guard case .unavailable(let message) = error as? ClientError else { return XCTFail("\(error)") }
            XCTAssertTrue(message.contains("exited at once with status 1"), message)
            XCTAssertTrue(message.contains("Another ballastd (pid \(process.processIdentifier)) already serves"), message)
        }
    }

    func testARemoteDaemonIsJudgedByPingsNotByALocalPid() throws {
        // 0.0.0.0 is not a loopback address, yet reaches this machine: a stand-in for a daemon on
        // another host, whose pid names nothing here.
        let (_, served) = try launch(["--ip", "0.0.0.0", "--allow-remote"])
        var remote = served
        remote.pid = try Self.deadPid()
        XCTAssertFalse(remote.processIsGone)
        let watch = DaemonWatch(remote, connectionFile: nil)
        XCTAssertNil(watch.check(), "a pid of another machine says nothing here")
        let client = try Client(remote)
        defer { client.close() }
        try client.initialize()
        XCTAssertEqual(try client.call(Ping.method)["pong"], true)
    }

    func testALoopbackDaemonWhosePidIsGoneIsReportedGone() throws {
        let (_, served) = try launch()
        var local = served
        local.pid = try Self.deadPid()
        XCTAssertEqual(DaemonWatch(local, connectionFile: nil).check(), .exited)
    }

    /// SIGSTOP, then waits until every thread has stopped (a group stop is not instant).
    private static func stopAndWait(_ pid: Int32) {
        kill(pid, SIGSTOP)
        let deadline = Date().addingTimeInterval(30)  // bounded only to catch a hang
        while Date() < deadline {
            let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
            let stopped = tasks.allSatisfy { task in
                guard let stat = try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/stat", encoding: .utf8),
                      let close = stat.lastIndex(of: ")") else { return false }
                let state = stat[stat.index(after: close)...].drop(while: { $0 == " " }).first
                return state == "T" || state == "t"
            }
            if stopped && !tasks.isEmpty { return }
            Thread.sleep(forTimeInterval: 0.01)
        }
    }

    /// The pid of a process that has exited and been reaped.
    private static func deadPid() throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/true")
        try process.run()
        process.waitUntilExit()
        let pid = process.processIdentifier
        XCTAssertTrue(ProcessLiveness.isGone(pid))
        return pid
    }
}
