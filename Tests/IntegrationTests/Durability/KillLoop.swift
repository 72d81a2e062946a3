import BallastClient
import BallastProtocol
import BallastTransport
import Foundation
import Synchronization

/// The kill -9 loop: the real `ballastd` on a private state directory, a few clients sending a
/// seeded mix of trainings and experiments, a SIGKILL at a seeded random moment, a restart on the
/// same directory and a check of what came back (`RestartCheck`); again, `rounds` times. After the
/// last kill, one more restart is checked, then a clean stop and a restart after it.
///
/// The seed fixes the requests (each client's, each round's) and the moments of the kills; which
/// request a kill catches also depends on how fast the machine runs them, so a repeat with the
/// same seed kills in the same places of the same mix, not on the same training step.
final class KillLoop {
    struct Settings {
        var seed: UInt64 = 20_261_130
        var rounds = 5
        var clients = 3
        /// Each kill comes between 0 and this many seconds after the round's clients start.
        var longestWait = 3.0
    }

    let settings: Settings
    let ledger = DurabilityLedger()
    let check = RestartCheck()
    private let folder: String
    private var stateDirectory: String { folder + "/state" }

    init(settings: Settings) throws {
        self.settings = settings
        folder = NSTemporaryDirectory() + "ballast-kill-loop-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        check.seed(settings.seed, rounds: settings.rounds)
    }

    deinit { try? FileManager.default.removeItem(atPath: folder) }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    func run() throws {
        var random = SeededGenerator(seed: settings.seed)
        for round in 0..<settings.rounds {
            // Now and then a kill while the daemon starts: opening the store, marking the runs it
            // finds running, restoring the workspace. It is not counted among the rounds' kills.
            if round > 0 && random.chance(0.15) { try killWhileStarting(after: Double.random(in: 0..<0.25, using: &random)) }
            let daemon = try restartChecked(round: round)
            // One kill in ten comes while the clients connect and make their data; the rest at any
            // moment of the round, mostly while trainings and experiments run.
            let wait = random.chance(0.1) ? Double.random(in: 0..<0.1, using: &random)
                : Double.random(in: 0.1..<settings.longestWait, using: &random)
            if round > 0 && round % 25 == 0 {
                print("kill loop: round \(round) of \(settings.rounds), \(String(format: "%.0f", check.figures.wallSeconds)) s")
            }
            let endings = try runClients(round: round, on: daemon, killAfter: wait)
            for ending in endings {
                check.counted(requests: ending.requests)
                if let unexpected = ending.unexpected {
                    throw Failure(description: "round \(round): a client stopped for another reason than the kill: "
                                  + "\(unexpected)\n\(check.figures.summary)")
                }
            }
        }
        let last = try restartChecked(round: settings.rounds, allPredictions: true)
        guard last.stop() else { throw Failure(description: "the daemon did not stop on SIGTERM: \(last.ending)") }
        _ = try restartChecked(round: settings.rounds + 1, allPredictions: true).stop()
    }

    /// Starts the daemon on the state directory and checks what it kept.
    private func restartChecked(round: Int, allPredictions: Bool = false) throws -> DaemonProcess {
        let daemon = try DaemonProcess(workers: 2, label: "kill-loop-daemon", stateDirectory: stateDirectory)
        check.counted(restart: round > 0)
        let client = try Client(daemon.info, connectionFile: daemon.connectionFile)
        defer { client.close() }
        client.defaultTimeout = 120
        try client.initialize(name: "kill-loop-check")
        try check.check(client, ledger: ledger, allPredictions: allPredictions)
        return daemon
    }

    /// Starts ballastd on the state directory and kills it `seconds` later, ready or not.
    private func killWhileStarting(after seconds: Double) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try BuiltProducts.path("ballastd"))
        process.currentDirectoryURL = URL(fileURLWithPath: folder)
        process.arguments = ["--connection-file", folder + "/starting.json", "--state-dir", stateDirectory,
                             "--workers", "2", "--log-level", "critical"]
        try process.run()
        Thread.sleep(forTimeInterval: seconds)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        check.counted(startupKill: true)
    }

    /// Runs the round's clients on threads of their own, kills the daemon after `killAfter`
    /// seconds, and returns how each client ended (a generous bound only catches a hung client).
    private func runClients(round: Int, on daemon: DaemonProcess, killAfter: Double) throws -> [DurabilityClient.Ending] {
        let endings = Mutex<[DurabilityClient.Ending]>([])
        let group = DispatchGroup()
        let (info, file) = (daemon.info, daemon.connectionFile)
        for index in 0..<settings.clients {
            let client = DurabilityClient(workload: DurabilityWorkload(seed: settings.seed, round: round, client: index),
                                          ledger: ledger)
            group.enter()
            Thread.detachNewThread {
                let ending = client.run(info, connectionFile: file)
                endings.withLock { $0.append(ending) }
                group.leave()
            }
        }
        Thread.sleep(forTimeInterval: killAfter)
        guard daemon.killAbruptly() else { throw Failure(description: "round \(round): ballastd survived SIGKILL") }
        check.counted(kill: true)
        guard group.wait(timeout: .now() + 120) == .success else {
            throw Failure(description: "round \(round): a client still waits 120 s after the kill")
        }
        return endings.withLock { $0 }
    }
}
