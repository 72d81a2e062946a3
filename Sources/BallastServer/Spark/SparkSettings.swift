import Foundation

/// How `engine: "spark"` reaches Spark: the sidecar's folder and Python, and the Spark master or
/// Spark Connect address handed to it. Each nil falls back as `SparkLaunch.find` says.
public struct SparkSettings: Sendable, Equatable {
    /// `--spark-sidecar DIR`: the folder holding the `ballast_spark` package (a checkout's `sidecars/spark`).
    public var sidecarDirectory: String?
    /// `--spark-python`: the Python that runs the sidecar.
    public var python: String?
    /// `--spark-master URL` (the sidecar's default: `local[*]`).
    public var master: String?
    /// `--spark-connect sc://host:port`: a Spark Connect server instead of a master.
    public var connect: String?

    public init(sidecarDirectory: String? = nil, python: String? = nil, master: String? = nil, connect: String? = nil) {
        self.sidecarDirectory = sidecarDirectory
        self.python = python
        self.master = master
        self.connect = connect
    }
}
