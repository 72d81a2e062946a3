import BallastProtocol
import Foundation
import Synchronization

/// The daemon's Spark sidecar (`sidecars/spark`, `python3 -m ballast_spark`): started on the
/// first spark fit and kept warm for the next, one fit at a time (others wait their turn, and a
/// cancelled waiter leaves the queue), started again when it died, stopped with the daemon.
///
/// It speaks JSON lines: `fit`, `sweep`, `cancel` and `shutdown` requests on its stdin, `ready`,
/// `progress`, `result` and `error` events on its stdout (protocol/README.md, "Spark").
final class SparkSidecar: Sendable {
    let launch: SparkLaunch
    private let log: Log
    private let running = Mutex<SidecarProcess?>(nil)
    private let turn = DispatchSemaphore(value: 1)
    private let stopped = Atomic<Bool>(false)
    private let fits = Atomic<Int>(0)
    private let found = Mutex<Bool?>(nil)
    /// How long a cancelled fit waits for the sidecar to say so before the sidecar is killed
    /// (and started again by the next fit).
    static let cancelGraceSeconds = 60.0

    init(_ settings: SparkSettings, log: Log) {
        launch = SparkLaunch(settings)
        self.log = log
    }

    /// Whether the sidecar is there to start (worked out once); `initialize` advertises `spark` then.
    var isAvailable: Bool {
        if let known = found.withLock({ $0 }) { return known }
        let isFound = launch.isFound
        found.withLock { $0 = isFound }
        return isFound
    }

    /// The pid of the running sidecar, if one runs (tests kill it to see it restarted).
    var processID: Int32? { running.withLock { $0.flatMap { $0.hasExited ? nil : $0.processID } } }

    /// Fits `request` (its `id` is set here) and returns Spark's coefficients; `progress` gets
    /// the sidecar's progress (stage, tasks done, tasks in all). Blocks until the fit ends.
    func fit(_ request: SparkFitRequest, cancellation: CancellationFlag,
             progress: (String, Int, Int) -> Void) throws(SparkFailure) -> SparkFitResult {
        var request = request
        let answer = try run(cancellation: cancellation, request: { id in
            request.id = id
            return request.json
        }, progress: { stage, done, total, _ in progress(stage, done, total) })
        return SparkFitResult(json: answer)
    }

    /// Runs `request`'s sweep (its `id` is set here): one fit per entry of its `fits`, folds
    /// assigned inside Spark. `progress` gets the stage, the tasks and the fits done so far.
    func sweep(_ request: SparkSweepRequest, cancellation: CancellationFlag,
               progress: (String, Int, Int, SparkFitCount?) -> Void) throws(SparkFailure) -> SparkSweepResult {
        var request = request
        let answer = try run(cancellation: cancellation, request: { id in
            request.id = id
            return request.json
        }, progress: progress)
        return SparkSweepResult(json: answer)
    }

    /// Sends the request line `request(id)` once it is this request's turn and the sidecar is
    /// ready, passes its progress on, and returns its result event. A cancel is sent once, and the
    /// request ends as cancelled when the sidecar says so (or is stopped after the grace period).
    private func run(cancellation: CancellationFlag, request: (String) -> JSONValue,
                     progress: (String, Int, Int, SparkFitCount?) -> Void) throws(SparkFailure) -> JSONValue {
        while turn.wait(timeout: .now() + 0.1) == .timedOut {
            if cancellation.isCancelled { throw .cancelled }
        }
        defer { turn.signal() }
        let sidecar = try readySidecar(cancellation)
        let id = "fit-\(fits.add(1, ordering: .relaxed).newValue)"
        let mark = sidecar.errorLineCount
        guard sidecar.send(request(id)) else { throw died(sidecar, since: mark) }
        var cancelSent: Date?
        while true {
            if cancellation.isCancelled && cancelSent == nil {
                sidecar.send(["op": "cancel", "id": .string(id)])
                cancelSent = Date()
            }
            if let cancelSent, Date().timeIntervalSince(cancelSent) > Self.cancelGraceSeconds {
                log(.warning, "The Spark sidecar did not end a cancelled request within \(Int(Self.cancelGraceSeconds)) s; stopping it.")
                forget(sidecar)
                sidecar.stop(graceSeconds: 0)
                throw .cancelled
            }
            switch sidecar.next(timeout: 0.2) {
            case .timedOut: continue
            case .exited: throw died(sidecar, since: mark)
            case .event(let event):
                switch event {
                case let .progress(eventID, stage, done, total, fitCount) where eventID == id:
                    progress(stage, done, total, fitCount)
                case let .result(eventID, result) where eventID == id:
                    if cancelSent != nil { throw .cancelled }
                    return result
                case let .error(eventID, kind, message, field) where eventID == id || eventID == nil:
                    if kind == "cancelled" || cancelSent != nil { throw .cancelled }
                    throw .reported(kind: kind, message: message, field: field)
                case .unknown(let line):
                    log(.debug, "Spark sidecar wrote a line that is not an event: \(line)")
                default:
                    continue
                }
            }
        }
    }

    /// Stops the sidecar, if one runs; later fits are refused. Called when the daemon stops.
    func stop() {
        stopped.store(true, ordering: .releasing)
        let sidecar = running.withLock { running in
            defer { running = nil }
            return running
        }
        guard let sidecar, !sidecar.hasExited else { return }
        log(.info, "Stopping the Spark sidecar (pid \(sidecar.processID)).")
        sidecar.stop(graceSeconds: 10)
    }

    /// The running sidecar once it has said `ready`; started when none runs or the last one died.
    private func readySidecar(_ cancellation: CancellationFlag) throws(SparkFailure) -> SidecarProcess {
        if stopped.load(ordering: .acquiring) { throw .died("the daemon is stopping") }
        let sidecar = try running.withLock { (running) throws(SparkFailure) -> SidecarProcess in
            if let current = running, !current.hasExited { return current }
            if running != nil { log(.warning, "The Spark sidecar had stopped; starting it again.") }
            let started = try SidecarProcess(launch, log: log)
            log(.info, "Started the Spark sidecar (pid \(started.processID)): \(launch.python) \(launch.arguments.joined(separator: " ")).")
            running = started
            return started
        }
        while !sidecar.isReady {
            // A cancelled request leaves the sidecar starting: the next fit finds it warmer.
            if cancellation.isCancelled { throw .cancelled }
            switch sidecar.next(timeout: 0.2) {
            case .event(.ready(let version, let master)):
                sidecar.markReady()
                log(.info, "The Spark sidecar is ready: Spark \(version) on \(master), \(String(format: "%.1f", Date().timeIntervalSince(sidecar.startedAt))) s after its start.")
            case .event(.error(_, _, let message, _)):
                log(.warning, "The Spark sidecar failed while starting: \(message)")
            case .exited:
                forget(sidecar)
                throw Self.startFailure(sidecar, python: launch.python)
            default:
                continue
            }
        }
        return sidecar
    }

    private func died(_ sidecar: SidecarProcess, since mark: Int) -> SparkFailure {
        // Its stdout ends before the process has been reaped: wait briefly for how it ended.
        let deadline = Date().addingTimeInterval(5)
        while !sidecar.hasExited && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        forget(sidecar)
        return .died(sidecar.diedMessage(since: mark))
    }

    private func forget(_ sidecar: SidecarProcess) {
        running.withLock { if $0 === sidecar { $0 = nil } }
    }

    /// A sidecar that ended before `ready`: missing pyspark, Java or the sidecar package is said
    /// with the install command; anything else as its last line.
    static func startFailure(_ sidecar: SidecarProcess, python: String) -> SparkFailure {
        let tail = sidecar.errorTail.joined(separator: "\n")
        if tail.contains("env: ") && tail.contains(python) {
            return .unavailable("engine=spark runs its sidecar with \(python), which could not be run (\(sidecar.lastErrorLine)); give a Python with ballastd --spark-python or $BALLAST_PYTHON.")
        }
        if tail.contains("No module named 'pyspark'") || tail.contains("No module named pyspark") {
            return .unavailable("engine=spark needs pyspark, which the sidecar's Python cannot import: \(SparkLaunch.installHint).")
        }
        if tail.contains("JAVA_HOME") || tail.contains("Java gateway process exited") || tail.contains("java: not found")
            || tail.contains("Unable to locate a Java Runtime") {
            return .unavailable("engine=spark needs a Java runtime, which Spark could not start: \(SparkLaunch.installHint). (\(sidecar.lastErrorLine))")
        }
        if tail.contains("No module named 'ballast_spark'") || tail.contains("No such file or directory") {
            return .unavailable("The Spark sidecar was not found (\(sidecar.lastErrorLine)); give its folder with ballastd --spark-sidecar DIR or $BALLAST_SPARK_SIDECAR.")
        }
        return .died(sidecar.lastErrorLine)
    }
}
