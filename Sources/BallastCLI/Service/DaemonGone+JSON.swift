import BallastClient
import BallastProtocol

extension DaemonGone {
    /// The `data` of a -32013 saying the daemon is gone: which daemon, and what became of it
    /// (the bridge's error for a relayed request, and `repl/execute`'s for a command).
    public var json: JSONValue {
        var data: [String: JSONValue] = ["daemon": .string(reasonName)]
        if let pid { data["pid"] = .int(Int64(pid)) }
        if case .replaced(let other?) = reason { data["replaced_by"] = .int(Int64(other)) }
        if let connectionFile { data["connection_file"] = .string(connectionFile) }
        return .object(data)
    }

    private var reasonName: String {
        switch reason {
        case .exited: "exited"
        case .replaced: "replaced"
        case .unresponsive: "unresponsive"
        }
    }
}
