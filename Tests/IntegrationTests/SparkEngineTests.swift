import BallastClient
import BallastProtocol
import BallastServer
import Foundation
import XCTest

/// `model/train` with `engine: "spark"`: a real daemon driving the real Spark sidecar
/// (`sidecars/spark`) in local mode. One daemon and one sidecar (one JVM) serve the whole class;
/// skipped, with the reason, only where Java or pyspark cannot be found.
final class SparkEngineTests: XCTestCase {
    nonisolated(unsafe) static var daemon: TestDaemon?
    nonisolated(unsafe) static var folder = ""
    nonisolated(unsafe) static var skipReason: String?

    override class func setUp() {
        super.setUp()
        if let missing = SparkPrerequisites.missing() {
            skipReason = missing
            return
        }
        folder = NSTemporaryDirectory() + "ballast-spark-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        do {
            try SparkData.write(rows: 4_000, features: 4, seed: 7, to: folder + "/small.csv")
            try SparkData.write(rows: 200_000, features: 8, seed: 11, to: folder + "/large.csv")
            try "amount,country,Class\n1.5,fr,0\n2.5,de,1\n3.5,fr,0\n0.5,de,0\n".write(toFile: folder + "/text.csv", atomically: true, encoding: .utf8)
            daemon = try TestDaemon { configuration in
                configuration.spark.sidecarDirectory = BuiltProducts.repositoryRoot.appendingPathComponent("sidecars/spark").path
            }
        } catch {
            skipReason = "could not set up: \(error)"
        }
    }

    override class func tearDown() {
        daemon?.stop()
        daemon = nil
        try? FileManager.default.removeItem(atPath: folder)
        super.tearDown()
    }

    private func client() throws -> Client {
        if let reason = Self.skipReason { throw XCTSkip(reason) }
        let client = try XCTUnwrap(Self.daemon).client()
        client.defaultTimeout = 600   // the first spark request waits for the JVM
        return client
    }

    private func load(_ client: Client, _ file: String, as name: String) throws {
        _ = try client.call("dataset/load", params: ["path": .string(Self.folder + "/" + file), "name": .string(name), "label": "Class"])
    }

    private func coefficients(_ client: Client, _ model: String) throws -> [Double] {
        let described = try client.call("model/describe", params: ["model": .string(model)])
        let coef = try XCTUnwrap(described["parameters"]?["coef"]?.arrayValue?.compactMap(\.doubleValue))
        let intercept = try XCTUnwrap(described["parameters"]?["intercept"]?.doubleValue)
        return coef + [intercept]
    }

    private func assertAgree(_ spark: [Double], _ local: [Double], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(spark.count, local.count, file: file, line: line)
        let scale = local.map(abs).max() ?? 1
        for (s, l) in zip(spark, local) {
            XCTAssertEqual(s, l, accuracy: 1e-4 * max(abs(l), 1e-2 * scale), "spark \(spark) vs local \(local)", file: file, line: line)
        }
    }

    func testInitializeAdvertisesSpark() throws {
        if let reason = Self.skipReason { throw XCTSkip(reason) }
        let client = try XCTUnwrap(Self.daemon).client(initialize: false)
        XCTAssertEqual(try client.initialize().capabilities.engines, ["local", "spark"])
    }

    /// CE and balanced WCE: Spark's coefficients are the local L-BFGS's on the same CSV, and the
    /// stored model evaluates and predicts as a local one.
    func testCrossEntropyAndBalancedWCEAgreeWithTheLocalFit() throws {
        let client = try client()
        try load(client, "small.csv", as: "small")
        for (name, loss) in [("ce", ["type": "ce"] as JSONValue), ("wce", ["type": "wce", "weights": ["scheme": "balanced"]])] {
            let local = try client.call("model/train", params: ["dataset": "small", "name": .string("local_\(name)"), "loss": loss,
                                                                "optimizer": ["type": "lbfgs", "tol": 1e-10]])
            let spark = try client.call("model/train", params: ["dataset": "small", "name": .string("spark_\(name)"), "loss": loss,
                                                                "engine": "spark", "progress_token": "fit"])
            assertAgree(try coefficients(client, "spark_\(name)"), try coefficients(client, "local_\(name)"))
            XCTAssertEqual(try XCTUnwrap(spark["objective"]?.doubleValue), try XCTUnwrap(local["objective"]?.doubleValue),
                           accuracy: 1e-6 * abs(local["objective"]?.doubleValue ?? 1))
            XCTAssertGreaterThan(spark["steps"]?.intValue ?? 0, 0)
            XCTAssertEqual(spark["metrics"]?["train"]?["pr_auc"]?.doubleValue ?? -1, local["metrics"]?["train"]?["pr_auc"]?.doubleValue ?? 1,
                           accuracy: 1e-3)
            let run = try client.call("run/describe", params: ["run": spark["run"]!])
            XCTAssertEqual(run["config"]?["engine"], "spark", "the run records the engine")
        }
        let evaluated = try client.call("model/evaluate", params: ["model": "spark_wce", "dataset": "small"])
        XCTAssertNotNil(evaluated["metrics"]?["roc_auc"]?.doubleValue ?? evaluated["roc_auc"]?.doubleValue, "\(evaluated)")
        let predicted = try client.call("model/predict", params: ["model": "spark_wce", "rows": [[0.1, -0.2, 0.3, 0.0]]])
        XCTAssertNotNil(predicted["predictions"] ?? predicted["probabilities"], "\(predicted)")
    }

    /// A CSV without a header line, its label third: Ballast names its columns x1…xN around
    /// `label`, and Spark reads the file by those names, so both fit the same model.
    func testAHeaderlessFileWithTheLabelInsideTrainsAsLocally() throws {
        let client = try client()
        let lines = try String(contentsOfFile: Self.folder + "/small.csv", encoding: .utf8).split(separator: "\n").dropFirst()
        let moved = lines.map { line -> String in
            var fields = line.split(separator: ",").map(String.init)
            fields.insert(fields.removeLast(), at: 2)
            return fields.joined(separator: ",")
        }
        try (moved.joined(separator: "\n") + "\n").write(toFile: Self.folder + "/headerless.csv", atomically: true, encoding: .utf8)
        _ = try client.call("dataset/load", params: ["path": .string(Self.folder + "/headerless.csv"), "name": "bare", "label": 2])
        let loss: JSONValue = ["type": "wce", "weights": ["scheme": "balanced"]]
        _ = try client.call("model/train", params: ["dataset": "bare", "name": "local_bare", "loss": loss,
                                                    "optimizer": ["type": "lbfgs", "tol": 1e-10]])
        _ = try client.call("model/train", params: ["dataset": "bare", "name": "spark_bare", "loss": loss, "engine": "spark"])
        assertAgree(try coefficients(client, "spark_bare"), try coefficients(client, "local_bare"))
    }

    /// `reduction: "sum"` is the same minimiser with regParam l2/Σsᵢ, and its objective is the sum's.
    func testSumReductionAgreesWithTheLocalFit() throws {
        let client = try client()
        try load(client, "small.csv", as: "small")
        let params: [String: JSONValue] = ["dataset": "small", "reduction": "sum", "l2": 1.0,
                                           "loss": ["type": "wce", "weights": ["scheme": "balanced"]]]
        var local = params, spark = params
        local["name"] = "local_sum"
        local["optimizer"] = ["type": "lbfgs", "tol": 1e-10]
        spark["name"] = "spark_sum"
        spark["engine"] = "spark"
        let localResult = try client.call("model/train", params: .object(local))
        let sparkResult = try client.call("model/train", params: .object(spark))
        assertAgree(try coefficients(client, "spark_sum"), try coefficients(client, "local_sum"))
        XCTAssertEqual(try XCTUnwrap(sparkResult["objective"]?.doubleValue), try XCTUnwrap(localResult["objective"]?.doubleValue),
                       accuracy: 1e-5 * abs(localResult["objective"]?.doubleValue ?? 1))
    }

    /// A cancelled spark fit answers -32800 as a local one does, stores nothing, and the warm
    /// sidecar serves the next fit.
    func testCancelAnswersRequestCancelledAndTheNextFitWorks() throws {
        let client = try client()
        try load(client, "large.csv", as: "large")
        let (cancelSent, failure) = client.callCancellingAtFirstProgress(
            "model/train", ["dataset": "large", "name": "cancelled", "engine": "spark", "progress_token": "cancel"])
        XCTAssertTrue(cancelSent, "the fit reported progress")
        let answer = try XCTUnwrap(failure, "the fit was cancelled, not finished")
        XCTAssertEqual(answer.code, ErrorCode.requestCancelled)
        XCTAssertThrowsError(try client.call("model/describe", params: ["model": "cancelled"]), "a cancelled fit stores no model")
        try load(client, "small.csv", as: "small")
        let next = try client.call("model/train", params: ["dataset": "small", "name": "after_cancel", "engine": "spark"])
        XCTAssertEqual(next["model"], "after_cancel")
    }

    /// What Spark cannot do is refused at the field a person would change, before Spark is asked.
    func testRefusalsNameTheirField() throws {
        let client = try client()
        try load(client, "small.csv", as: "small")
        try load(client, "text.csv", as: "text")
        _ = try client.call("dataset/generate", params: ["preset": "fraud", "name": "generated", "rows": 500, "seed": 1])
        func refused(_ given: [String: JSONValue], at field: String, code: Int = ErrorCode.invalidParams, line: UInt = #line) {
            var params = given
            if params["engine"] == nil { params["engine"] = "spark" }
            do {
                _ = try client.call("model/train", params: .object(params))
                XCTFail("\(params) was accepted", line: line)
            } catch ClientError.rpc(let error) {
                XCTAssertEqual(error.code, code, error.message, line: line)
                XCTAssertEqual(error.data?["field"]?.stringValue, field, error.message, line: line)
            } catch {
                XCTFail("\(error)", line: line)
            }
        }
        refused(["dataset": "small", "loss": ["type": "focal"]], at: "loss.type")
        refused(["dataset": "small", "model": ["type": "mlp", "hidden": [4]]], at: "model.type")
        refused(["dataset": "small", "optimizer": ["type": "adam"]], at: "optimizer.type")
        refused(["dataset": "small", "validation": "small"], at: "validation")
        refused(["dataset": "small", "resample": ["method": "over"]], at: "resample")
        refused(["dataset": "small", "early_stopping": ["patience": 2]], at: "early_stopping")
        refused(["dataset": "text"], at: "engine")
        refused(["dataset": "generated"], at: "source")
        refused(["dataset": "small", "engine": "local", "source": ["path": .string(Self.folder + "/small.csv")]], at: "source")
        refused(["dataset": "small", "source": ["path": .string(Self.folder + "/absent.csv")]], at: "source.path", code: ErrorCode.notFound)
        refused(["dataset": "small", "engine": "hadoop"], at: "engine")
        refused(["dataset": "small", "source": ["path": .string(Self.folder)]], at: "source.path")
        // A file that changed since it was loaded would give Spark other data than the dataset's.
        let copy = Self.folder + "/changing.csv"
        try FileManager.default.copyItem(atPath: Self.folder + "/small.csv", toPath: copy)
        _ = try client.call("dataset/load", params: ["path": .string(copy), "name": "changing", "label": "Class"])
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: copy))
        handle.seekToEndOfFile()
        handle.write(Data("0.1,0.2,0.3,0.4,1\n".utf8))
        try handle.close()
        refused(["dataset": "changing"], at: "engine")
        // A source with other rows than the dataset is refused as soon as Spark has counted them,
        // before any fit (or, for a sweep, before any of its many fits).
        let fewer = Self.folder + "/fewer.csv"
        let lines = try String(contentsOfFile: Self.folder + "/small.csv", encoding: .utf8).split(separator: "\n")
        try (lines.dropLast(3).joined(separator: "\n") + "\n").write(toFile: fewer, atomically: true, encoding: .utf8)
        refused(["dataset": "small", "source": ["path": .string(fewer)]], at: "source")
        do {
            _ = try client.call("experiment/sweep", params: ["dataset": "small", "param": "w", "grid": [0.5, 0.9], "folds": 2,
                                                             "engine": "spark", "source": ["path": .string(fewer)]])
            XCTFail("a sweep of other rows was accepted")
        } catch ClientError.rpc(let error) {
            XCTAssertEqual(error.data?["field"], "source", error.message)
            XCTAssertEqual(error.data?["spark_field"], "class_counts", "refused when counted, before the fits: \(error.message)")
            XCTAssertTrue(error.message.contains("other rows"), error.message)
        }
    }

    /// `experiment/sweep` with engine=spark: the local sweep's shape (a point per grid value with
    /// one score per fold, `best` among them, the fold plan), the run recording the engine.
    func testSweepOnSparkReturnsTheSweepShape() throws {
        let client = try client()
        try load(client, "small.csv", as: "small")
        let result = try client.call("experiment/sweep", params: ["dataset": "small", "param": "w", "grid": [0.5, 0.8],
                                                                  "folds": 3, "metric": "f1", "engine": "spark", "seed": 3,
                                                                  "progress_token": "sweep"])
        let points = try XCTUnwrap(result["results"]?.arrayValue)
        XCTAssertEqual(points.compactMap { $0["value"]?.doubleValue }, [0.5, 0.8])
        let folds = try XCTUnwrap(result["folds"])
        XCTAssertEqual(folds["used"]?.intValue ?? folds["folds"]?.intValue, 3, "\(folds)")
        for point in points {
            let scores = try XCTUnwrap(point["folds"]?.arrayValue?.compactMap(\.doubleValue))
            XCTAssertEqual(scores.count, 3)
            XCTAssertTrue(scores.allSatisfy { (0...1).contains($0) }, "\(scores)")
            let mean = scores.reduce(0, +) / 3
            XCTAssertEqual(try XCTUnwrap(point["mean"]?.doubleValue), mean, accuracy: 1e-12)
        }
        XCTAssertTrue(points.contains(try XCTUnwrap(result["best"])), "best is one of the grid's points")
        XCTAssertEqual(result["metric"], "f1")
        let run = try client.call("run/describe", params: ["run": try XCTUnwrap(result["run"])])
        XCTAssertEqual(run["config"]?["engine"], "spark", "the run records the engine")
        XCTAssertEqual(run["config"]?["param"], "w")
    }

    /// A small class: the spark sweep runs the local sweep's fold plan (fewer folds or repeats,
    /// each repeat's seed derived as the local one's, often above Int64.max on the pipe).
    func testSweepOnASmallClassRunsTheLocalFoldPlan() throws {
        let client = try client()
        try SparkData.write(rows: 150, features: 3, seed: 5, to: Self.folder + "/tiny.csv")
        try load(client, "tiny.csv", as: "tiny")
        var params: [String: JSONValue] = ["dataset": "tiny", "param": "w", "grid": [0.7], "folds": 3, "metric": "mcc", "seed": 9]
        let local = try client.call("experiment/sweep", params: .object(params))
        params["engine"] = "spark"
        let spark = try client.call("experiment/sweep", params: .object(params))
        let plan = try XCTUnwrap(spark["folds"])
        XCTAssertEqual(plan, local["folds"], "the same fold plan as the local sweep")
        let repeats = try XCTUnwrap(plan["repeats"]?.intValue)
        XCTAssertGreaterThan(repeats, 1, "the data's small class makes the plan repeat: \(plan)")
        let scores = try XCTUnwrap(spark["results"]?.arrayValue?.first?["folds"]?.arrayValue)
        XCTAssertEqual(Int64(scores.count), repeats * (plan["used"]?.intValue ?? 0))
    }

    /// What a spark sweep cannot do is refused at its field, before Spark is asked.
    func testSweepRefusalsNameTheirField() throws {
        let client = try client()
        try load(client, "small.csv", as: "small")
        func refused(_ changes: [String: JSONValue], at field: String, line: UInt = #line) {
            var params: [String: JSONValue] = ["dataset": "small", "param": "w", "grid": [0.5, 0.8], "folds": 3, "engine": "spark"]
            params.merge(changes) { $1 }
            do {
                _ = try client.call("experiment/sweep", params: .object(params))
                XCTFail("\(params) was accepted", line: line)
            } catch ClientError.rpc(let error) {
                XCTAssertEqual(error.code, ErrorCode.invalidParams, error.message, line: line)
                XCTAssertEqual(error.data?["field"]?.stringValue, field, error.message, line: line)
            } catch {
                XCTFail("\(error)", line: line)
            }
        }
        refused(["param": "gamma", "grid": [0, 2]], at: "param")
        refused(["metric": "pr_auc"], at: "metric")
        refused(["metric": "roc_auc"], at: "metric")
        refused(["model": ["type": "mlp", "hidden": [4]]], at: "model.type")
        refused(["optimizer": ["type": "adam"]], at: "optimizer.type")
        refused(["engine": "hadoop"], at: "engine")
        refused(["engine": "local", "source": ["path": .string(Self.folder + "/small.csv")]], at: "source")
        refused(["grid": [1.5]], at: "grid")
    }

    /// A cancelled spark sweep answers -32800 as a local one does, and the next sweep runs.
    func testSweepCancelAnswersRequestCancelledAndTheNextSweepWorks() throws {
        let client = try client()
        try load(client, "large.csv", as: "large")
        let (cancelSent, failure) = client.callCancellingAtFirstProgress(
            "experiment/sweep", ["dataset": "large", "param": "w", "grid": [0.5, 0.8], "folds": 3, "engine": "spark",
                                 "progress_token": "cancel_sweep"])
        XCTAssertTrue(cancelSent, "the sweep reported progress")
        let answer = try XCTUnwrap(failure, "the sweep was cancelled, not finished")
        XCTAssertEqual(answer.code, ErrorCode.requestCancelled)
        XCTAssertNotNil(answer.data?["run"], "the partial answer names the run, as the local sweep's")
        try load(client, "small.csv", as: "small")
        let next = try client.call("experiment/sweep", params: ["dataset": "small", "param": "beta", "grid": [0.9, 0.99],
                                                                "folds": 3, "metric": "loss", "engine": "spark"])
        let means = try XCTUnwrap(next["results"]?.arrayValue?.compactMap { $0["mean"]?.doubleValue })
        XCTAssertEqual(means.count, 2)
        XCTAssertTrue(means.allSatisfy { $0 < 0 && $0.isFinite }, "the loss metric is the negated log loss: \(means)")
    }

    /// A sidecar whose Python cannot be started is -32010 at `engine`, saying what is missing;
    /// no JVM is involved (a daemon of its own, with a Python that does not exist).
    func testASidecarThatCannotStartIsNotAvailableAtEngine() throws {
        if let reason = Self.skipReason { throw XCTSkip(reason) }
        let daemon = try TestDaemon { configuration in
            configuration.spark.sidecarDirectory = BuiltProducts.repositoryRoot.appendingPathComponent("sidecars/spark").path
            configuration.spark.python = "/nonexistent/python3"
        }
        let client = try daemon.client()
        try load(client, "small.csv", as: "small")
        do {
            _ = try client.call("model/train", params: ["dataset": "small", "engine": "spark"])
            XCTFail("a sidecar that cannot start trained a model")
        } catch ClientError.rpc(let error) {
            XCTAssertEqual(error.code, ErrorCode.invalidData, error.message)
            XCTAssertEqual(error.data?["field"], "engine")
            XCTAssertEqual(error.data?["reason"], "spark_unavailable")
        }
    }

    /// A sidecar that dies during a fit answers -32603 naming it; the next fit starts another.
    /// (Named to run last: it costs a second JVM start.)
    func testZSidecarDeathAnswersInternalErrorAndTheNextFitRestartsIt() throws {
        let client = try client()
        try load(client, "large.csv", as: "large")
        let server = try XCTUnwrap(Self.daemon).server
        var killed = false
        var failure: RPCError?
        do {
            _ = try client.call("model/train", params: ["dataset": "large", "name": "killed", "engine": "spark",
                                                        "progress_token": "kill"]) { method, params in
                if method == WorkProgress.method && params["value"]?["kind"] == "report" && !killed,
                   let pid = server.sparkSidecarProcessID {
                    killed = true
                    kill(pid, SIGKILL)
                }
            }
        } catch {
            if case .rpc(let rpc) = error { failure = rpc }
        }
        XCTAssertTrue(killed, "the sidecar was running a fit")
        let answer = try XCTUnwrap(failure, "the fit failed")
        XCTAssertEqual(answer.code, ErrorCode.internalError)
        XCTAssertTrue(answer.message.hasPrefix("The Spark sidecar stopped: killed by signal 9"), answer.message)
        try load(client, "small.csv", as: "small")
        let next = try client.call("model/train", params: ["dataset": "small", "name": "after_death", "engine": "spark"])
        XCTAssertEqual(next["model"], "after_death")
    }
}

/// Java and pyspark, which the sidecar needs; `make test` installs both.
enum SparkPrerequisites {
    static func missing() -> String? {
        if !succeeds("/usr/bin/env", ["java", "-version"]) { return "java is not installed (scripts/install-deps.sh --spark installs it)" }
        let python = ProcessInfo.processInfo.environment["BALLAST_PYTHON"] ?? "python3"
        if !succeeds("/usr/bin/env", [python, "-c", "import pyspark"]) { return "pyspark is not installed for \(python) (scripts/install-deps.sh --spark installs it)" }
        return nil
    }

    static func succeeds(_ executable: String, _ arguments: [String]) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }
}

/// An imbalanced binary CSV drawn from a logistic model, reproducible from its seed.
enum SparkData {
    static func write(rows: Int, features: Int, seed: UInt64, to path: String) throws {
        var state = seed &* 6364136223846793005 &+ 1442695040888963407
        func uniform() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / Double(1 << 53)
        }
        var text = (1...features).map { "x\($0)" }.joined(separator: ",") + ",Class\n"
        text.reserveCapacity(rows * features * 10)
        for _ in 0..<rows {
            let x = (0..<features).map { _ in (uniform() - 0.5) * 4 }
            var logit = -2.5
            for (j, v) in x.enumerated() { logit += (j % 2 == 0 ? 0.9 : -0.6) * v / Double(j + 1) }
            let positive = uniform() < 1 / (1 + exp(-logit))
            text += x.map { String(format: "%.5f", $0) }.joined(separator: ",") + (positive ? ",1\n" : ",0\n")
        }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }
}
