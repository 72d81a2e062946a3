import Foundation

/// The command that starts the Spark sidecar: `python3 -m ballast_spark [--master URL | --remote sc://…]`
/// with the sidecar's folder on `PYTHONPATH`.
///
/// The folder is `--spark-sidecar`, else `$BALLAST_SPARK_SIDECAR`, else `sidecars/spark` of the
/// checkout the daemon was built in (`<checkout>/.build/<config>/ballastd`), else none: an
/// installed `ballast_spark` package. Python is `--spark-python`, else `$BALLAST_PYTHON`, else `python3`.
struct SparkLaunch: Sendable, Equatable {
    var python: String
    /// Put first on `PYTHONPATH`; nil: the package must be installed for `python`.
    var sidecarDirectory: String?
    var arguments: [String]

    /// The install command a person is told when pyspark or Java is missing.
    static let installHint = "install them with `scripts/install-deps.sh --spark` (pyspark 4.0.1 and a Java 17 runtime)"

    init(_ settings: SparkSettings, environment: [String: String] = ProcessInfo.processInfo.environment,
         executable: String = CommandLine.arguments.first ?? "") {
        python = settings.python ?? environment["BALLAST_PYTHON"].flatMap { $0.isEmpty ? nil : $0 } ?? "python3"
        sidecarDirectory = settings.sidecarDirectory ?? environment["BALLAST_SPARK_SIDECAR"].flatMap { $0.isEmpty ? nil : $0 }
            ?? Self.checkoutSidecar(executable: executable)
        var arguments = ["-m", "ballast_spark"]
        if let connect = settings.connect { arguments += ["--remote", connect] }
        else if let master = settings.master { arguments += ["--master", master] }
        self.arguments = arguments
    }

    /// `<checkout>/sidecars/spark` for a daemon at `<checkout>/.build/<config>/ballastd` (or
    /// `.build/<triple>/<config>/ballastd`), when that folder holds the package.
    static func checkoutSidecar(executable: String) -> String? {
        guard !executable.isEmpty else { return nil }
        var url = URL(fileURLWithPath: executable).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<4 {
            url.deleteLastPathComponent()
            let candidate = url.appendingPathComponent("sidecars/spark")
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("ballast_spark/__main__.py").path) {
                return candidate.path
            }
        }
        return nil
    }

    /// Whether the sidecar can be started at all: its folder holds the package, or (no folder)
    /// `python` imports an installed `ballast_spark`. Says nothing of pyspark or Java, which only
    /// a start tells.
    var isFound: Bool {
        if let sidecarDirectory {
            return FileManager.default.fileExists(atPath: sidecarDirectory + "/ballast_spark/__main__.py")
        }
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        probe.arguments = [python, "-c", "import importlib.util, sys; sys.exit(0 if importlib.util.find_spec('ballast_spark') else 1)"]
        probe.standardOutput = FileHandle.nullDevice
        probe.standardError = FileHandle.nullDevice
        do { try probe.run() } catch { return false }
        probe.waitUntilExit()
        return probe.terminationStatus == 0
    }

    /// The sidecar's environment: the daemon's, with its folder first on `PYTHONPATH`.
    func environment(_ base: [String: String] = ProcessInfo.processInfo.environment) -> [String: String] {
        var environment = base
        if let sidecarDirectory {
            environment["PYTHONPATH"] = [sidecarDirectory, base["PYTHONPATH"]].compactMap { $0?.isEmpty == false ? $0 : nil }
                .joined(separator: ":")
        }
        environment["PYTHONUNBUFFERED"] = "1"
        return environment
    }
}
