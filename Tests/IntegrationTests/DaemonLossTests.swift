import BallastClient
import BallastProtocol
import BallastTransport
import Foundation
import XCTest

/// A daemon killed with SIGKILL mid-training, the way a crash or the OOM killer ends it: the
/// waiting client notices within seconds, and the next connect starts a fresh daemon in place of
/// the stale connection file. Also: `stop` returns only once the daemon is gone, and a client that
/// gives up on a request (a timeout) cancels it.
final class DaemonLossTests: XCTestCase {
    private var folder: String!

    override func setUpWithError() throws {
        folder = NSTemporaryDirectory() + "ballast-loss-\(UUID().uuidString)"
    }

    override func tearDownWithError() throws {
        _ = try? DaemonStopper.stop(connectionFile: folder + "/ballastd.json")
        try? FileManager.default.removeItem(atPath: folder)
    }

    private func startDaemon() throws -> (ConnectionInfo, String) {
        let path = folder + "/ballastd.json"
        let info = try DaemonLauncher.connect(connectionFile: path, daemonPath: try BuiltProducts.path("ballastd"), daemonArguments: ["--ephemeral"])
        return (info, path)
    }

    private static let longTraining: JSONValue = [
        "dataset": "cards", "name": "forever", "model": ["type": "mlp"],
        "optimizer": ["type": "adam", "epochs": 100000], "progress_token": "long",
    ]

    func testAClientWaitingOnADaemonKilledMidTrainingNoticesAndANewDaemonStarts() throws {
        let (info, path) = try startDaemon()
        let pid = try XCTUnwrap(info.pid)
        let client = try Client(info, connectionFile: path)
        defer { client.close() }
        try client.initialize()
        _ = try client.call(DatasetGenerate.method, params: ["preset": "fraud", "rows": 60000, "name": "cards"])
        var killed = false
        XCTAssertThrowsError(try client.call(ModelTrain.method, params: Self.longTraining, onNotification: { method, _ in
            if method == WorkProgress.method && !killed {
                killed = true
                kill(pid, SIGKILL)
            }
        })) { error in
            guard case .daemonGone(let gone) = error as? ClientError else { return XCTFail("\(error)") }
            XCTAssertEqual(gone.reason, .exited)
            XCTAssertEqual(gone.pid, pid)
            XCTAssertTrue(gone.description.contains("(pid \(pid)) has stopped while 'model/train' waited"), gone.description)
        }
        XCTAssertTrue(killed)
        XCTAssertNil(DaemonLauncher.liveDaemon(at: path), "the stale file names a dead process")

        let fresh = try DaemonLauncher.connect(connectionFile: path, daemonPath: try BuiltProducts.path("ballastd"), daemonArguments: ["--ephemeral"])
        XCTAssertNotEqual(fresh.pid, pid)
        let next = try Client(fresh, connectionFile: path)
        defer { next.close() }
        XCTAssertEqual(try next.control(Ping.method)["pong"], true)
    }

    func testStopReturnsOnlyOnceTheDaemonHasExitedAndRemovedItsFile() throws {
        let (info, path) = try startDaemon()
        let pid = try XCTUnwrap(info.pid)
        XCTAssertEqual(try DaemonStopper.stop(connectionFile: path), .stopped(pid: pid))
        XCTAssertTrue(ProcessLiveness.isGone(pid))
        XCTAssertFalse(FileManager.default.fileExists(atPath: path))
        XCTAssertEqual(try DaemonStopper.stop(connectionFile: path), .notRunning(staleFileOf: nil))
    }

    func testAStaleFileLeftByAKilledDaemonIsRemovedByStop() throws {
        let (info, path) = try startDaemon()
        let pid = try XCTUnwrap(info.pid)
        kill(pid, SIGKILL)
        let deadline = Date().addingTimeInterval(30)
        while !ProcessLiveness.isGone(pid) && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        XCTAssertEqual(try DaemonStopper.stop(connectionFile: path), .notRunning(staleFileOf: pid))
        XCTAssertFalse(FileManager.default.fileExists(atPath: path))
    }

    func testStopSaysSoWhenTheDaemonIsStuck() throws {
        let (info, path) = try startDaemon()
        let pid = try XCTUnwrap(info.pid)
        kill(pid, SIGSTOP)
        defer { kill(pid, SIGCONT) }
        XCTAssertEqual(try DaemonStopper.stop(connectionFile: path), .notAnswering(pid: pid),
                       "a stuck daemon is not reported as absent, and its file is left alone")
        XCTAssertTrue(FileManager.default.fileExists(atPath: path))
    }

    func testATimeoutCancelsTheRequest() throws {
        let daemon = try TestDaemon()
        let client = try daemon.client()
        defer { client.close() }
        _ = try client.call(DatasetGenerate.method, params: ["preset": "fraud", "rows": 60000, "name": "cards"])
        XCTAssertThrowsError(try client.call(ModelTrain.method, params: Self.longTraining, timeout: 1)) { error in
            guard case .timeout(_, _, let cancelled) = error as? ClientError else { return XCTFail("\(error)") }
            XCTAssertTrue(cancelled)
            XCTAssertTrue("\(error)".contains("the request was cancelled"), "\(error)")
        }
        // Bounded only to catch a hang: the cancelled training leaves the daemon idle.
        let deadline = Date().addingTimeInterval(60)
        var inFlight: [JSONValue] = [[:]]
        while !inFlight.isEmpty && Date() < deadline {
            inFlight = try client.control(Status.method)["in_flight"]?.arrayValue ?? []
            if !inFlight.isEmpty { Thread.sleep(forTimeInterval: 0.1) }
        }
        XCTAssertEqual(inFlight, [])
    }
}
