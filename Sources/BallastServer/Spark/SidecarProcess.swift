import BallastProtocol
import Foundation
import Synchronization

/// One running sidecar process: its stdin for requests, a thread reading its stdout into a
/// mailbox of events, and a thread keeping the tail of its stderr (Spark's warnings, a Python
/// traceback) for the message a person gets when it dies.
final class SidecarProcess: Sendable {
    enum Next: Sendable { case event(SparkEvent), exited, timedOut }

    // @unchecked-free: `Process` is not Sendable, so it stays inside a Mutex.
    private let process: Mutex<Process>
    private let input: FileHandle
    private let mailbox = Mutex<[SparkEvent]>([])
    private let arrived = DispatchSemaphore(value: 0)
    private let stderrTail = Mutex<[String]>([])
    /// Lines written on stderr so far, to tell a fit's own lines from older ones.
    private let stderrLines = Atomic<Int>(0)
    /// How the process ended ("killed by signal 9", "exit status 1"), once it has.
    private let ending = Mutex<String?>(nil)
    private let exited = Atomic<Bool>(false)
    private let readyFlag = Atomic<Bool>(false)
    let startedAt = Date()
    let processID: Int32

    /// Starts `launch`'s command with pipes on its three standard streams.
    init(_ launch: SparkLaunch, log: Log) throws(SparkFailure) {
        // A sidecar that died leaves a pipe with no reader: writing to it must fail, not kill the daemon.
        signal(SIGPIPE, SIG_IGN)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [launch.python] + launch.arguments
        process.environment = launch.environment()
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        do { try process.run() } catch {
            throw .unavailable("The Spark sidecar could not be started (\(launch.python) \(launch.arguments.joined(separator: " "))): \(error.localizedDescription)")
        }
        processID = process.processIdentifier
        self.process = Mutex(process)
        input = stdin.fileHandleForWriting
        let stderrDone = DispatchSemaphore(value: 0)
        let stdoutReader = stdout.fileHandleForReading, stderrReader = stderr.fileHandleForReading
        Thread.detachNewThread { [self] in
            Self.readLines(stderrReader) { line in
                log(.debug, "Spark sidecar: \(line)")
                stderrLines.add(1, ordering: .relaxed)
                stderrTail.withLock { tail in
                    tail.append(line)
                    if tail.count > 40 { tail.removeFirst(tail.count - 40) }
                }
            }
            stderrDone.signal()
        }
        Thread.detachNewThread { [self] in
            Self.readLines(stdoutReader) { line in
                let event = SparkEvent(line: line)
                mailbox.withLock { $0.append(event) }
                arrived.signal()
            }
            // Its stderr is read to the end first, so the last line is there for the message.
            _ = stderrDone.wait(timeout: .now() + 5)
            let how = self.process.withLock { process in
                process.waitUntilExit()
                return process.terminationReason == .uncaughtSignal ? "killed by signal \(process.terminationStatus)"
                    : "exit status \(process.terminationStatus)"
            }
            ending.withLock { $0 = how }
            exited.store(true, ordering: .releasing)
            arrived.signal()
        }
    }

    var isReady: Bool { readyFlag.load(ordering: .acquiring) }
    func markReady() { readyFlag.store(true, ordering: .releasing) }
    var hasExited: Bool { exited.load(ordering: .acquiring) }

    /// The last non-empty line the sidecar wrote on stderr.
    var lastErrorLine: String {
        stderrTail.withLock { $0.last { !$0.trimmingCharacters(in: .whitespaces).isEmpty } } ?? "it wrote nothing on stderr"
    }

    var errorTail: [String] { stderrTail.withLock { $0 } }

    /// How many lines it has written on stderr so far (a mark for `diedMessage(since:)`).
    var errorLineCount: Int { stderrLines.load(ordering: .relaxed) }

    /// Why it stopped, for a person: how it ended, and its last stderr line when it wrote one
    /// after `mark` (older lines belong to earlier fits and would mislead).
    func diedMessage(since mark: Int) -> String {
        let how = ending.withLock { $0 } ?? "it ended"
        let fresh = errorLineCount > mark ? lastErrorLine : nil
        return fresh.map { "\(how); its last words: \($0)" } ?? "\(how), without a word on stderr"
    }

    /// The next event, `exited` once the process has ended and every event it wrote was taken,
    /// or `timedOut` after `timeout` seconds without either.
    func next(timeout: Double) -> Next {
        let deadline = DispatchTime.now() + timeout
        while true {
            if let event = mailbox.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) { return .event(event) }
            if hasExited { return .exited }
            if arrived.wait(timeout: deadline) == .timedOut {
                if let event = mailbox.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) { return .event(event) }
                return hasExited ? .exited : .timedOut
            }
        }
    }

    /// Writes one request line; false when the sidecar no longer reads.
    @discardableResult
    func send(_ request: JSONValue) -> Bool {
        var line = JSONWriter.data(request)
        line.append(UInt8(ascii: "\n"))
        do { try input.write(contentsOf: Data(line)) } catch { return false }
        return true
    }

    /// Asks the sidecar to stop Spark and exit (`shutdown`, then EOF on stdin); after
    /// `graceSeconds` it is terminated, and killed 2 s later.
    func stop(graceSeconds: Double) {
        send(["op": "shutdown"])
        try? input.close()
        let deadline = Date().addingTimeInterval(graceSeconds)
        while !hasExited && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        guard !hasExited else { return }
        let pid = processID
        _ = kill(pid, SIGTERM)
        let killAt = Date().addingTimeInterval(2)
        while !hasExited && Date() < killAt { Thread.sleep(forTimeInterval: 0.05) }
        if !hasExited { _ = kill(pid, SIGKILL) }
    }

    /// Calls `line` with each line of `handle` (without its newline) until EOF.
    private static func readLines(_ handle: FileHandle, _ line: (String) -> Void) {
        var pending: [UInt8] = []
        while true {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            pending.append(contentsOf: chunk)
            while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                line(String(decoding: pending[..<newline], as: UTF8.self))
                pending.removeSubrange(...newline)
            }
        }
        if !pending.isEmpty { line(String(decoding: pending, as: UTF8.self)) }
    }
}
