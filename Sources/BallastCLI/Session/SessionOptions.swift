/// How a session shows results and finds its daemon.
public struct SessionOptions: Sendable {
    /// Each result as one JSON object per line instead of tables.
    public var json = false
    /// In a script, report a failing command and go on with the next.
    public var keepGoing = false
    public var connectionFile: String?
    public var noSpawn = false
    /// Given to a daemon this session starts, after its connection file (`--state-dir DIR`).
    public var daemonArguments: [String] = []
    /// Seconds to wait for one reply; nil waits while the daemon lives. A request that runs out
    /// of time is cancelled.
    public var timeout: Double?
    /// A person is at the keyboard (the REPL): after the daemon goes away, the next command
    /// starts a fresh one rather than ending the session.
    public var interactive = false

    public init(json: Bool = false, keepGoing: Bool = false, connectionFile: String? = nil, noSpawn: Bool = false) {
        self.json = json
        self.keepGoing = keepGoing
        self.connectionFile = connectionFile
        self.noSpawn = noSpawn
    }
}
