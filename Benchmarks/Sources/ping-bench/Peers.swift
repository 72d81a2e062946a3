import BallastClient
import BallastProtocol
import BallastTransport
import Foundation
import ZeroMQ

/// The processes a run talks to: the daemon under test and the bare echo it is compared with.
// MARK: The daemon

final class Daemon {
    let process = Process()
    let folder: String
    let connectionFile: String
    let logFile: String

    init(executable: String) throws {
        folder = NSTemporaryDirectory() + "ballast-ping-bench-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        connectionFile = folder + "/ballastd.json"
        logFile = folder + "/ballastd.log"
        _ = FileManager.default.createFile(atPath: logFile, contents: nil)
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["--connection-file", connectionFile, "--log-level", "warning"]
        process.standardOutput = FileHandle(forWritingAtPath: logFile)
        process.standardError = FileHandle(forWritingAtPath: logFile)
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    /// Waits until the connection file appears (the daemon writes it atomically once bound).
    func waitForConnectionFile(timeout: Double = 20) throws -> ConnectionInfo {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if FileManager.default.fileExists(atPath: connectionFile),
               let info = try? ConnectionInfo.read(from: connectionFile) {
                return info
            }
            guard process.isRunning else { break }
            Thread.sleep(forTimeInterval: 0.02)
        }
        let log = (try? String(contentsOfFile: logFile, encoding: .utf8)) ?? ""
        throw BenchError("ballastd wrote no connection file within \(Int(timeout)) s. Its log:\n\(log)")
    }

    /// SIGTERM, then the exit status (nil if it had to be killed).
    @discardableResult
    func stop(timeout: Double = 15) -> Int32? {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        guard process.isRunning else { return process.terminationStatus }
        kill(process.processIdentifier, SIGTERM)
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return nil
        }
        return process.terminationStatus
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

// MARK: The bare echo

/// A ROUTER on its own thread that sends back whatever `[identity, a, b]` it receives, until it
/// receives a message whose first body frame is `stop`.
final class EchoServer: @unchecked Sendable {
    // @unchecked: `endpoint` and `failure` are written once by the echo thread before it signals
    // `ready`, and read only after waiting on `ready`.
    private let ready = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    private(set) var endpoint = ""
    private(set) var failure: (any Error)?

    init(context: Context) throws {
        let thread = Thread { [self] in
            self.serve(context)
            self.finished.signal()
        }
        thread.name = "echo-router"
        thread.start()
        ready.wait()
        if let failure { throw failure }
    }

    private func serve(_ context: Context) {
        let router: Socket
        do {
            router = try Socket(context, .router)
            try router.bind("tcp://127.0.0.1:*")
            endpoint = try router.lastEndpoint
        } catch {
            failure = error
            ready.signal()
            return
        }
        ready.signal()
        defer { router.close() }
        while true {
            guard let frames = try? router.receive() else { return }
            _ = try? router.send(frames)
            if frames.count >= 2, frames[1] == Data("stop".utf8) { return }
        }
    }

    func waitUntilFinished() { finished.wait() }
}

final class EchoProcess {
    let process = Process()
    let endpoint: String

    init() throws {
        process.executableURL = URL(fileURLWithPath: try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
        process.arguments = ["--echo-server"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        var line = Data()
        while let byte = try output.fileHandleForReading.read(upToCount: 1), let first = byte.first, first != 10 {
            line.append(first)
        }
        endpoint = String(decoding: line, as: UTF8.self)
        guard endpoint.hasPrefix("tcp://") else { throw BenchError("the echo process printed no endpoint") }
    }
}
