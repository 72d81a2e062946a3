/// `status` (control socket): what the daemon is doing, for people and supervisors.
public enum Status: RequestMethod {
    public static let method = "status"
    public typealias Params = NoParams

    public struct Result: Codable, Sendable, Equatable {
        public var pid: Int32
        public var uptimeSeconds: Double
        public var protocolVersion: String
        public var sessions: Int
        public var inFlight: [InFlightRequest]
        /// Messages dropped before execution, by reason: bad_signature, replayed, malformed.
        public var rejected: [String: Int]
        public var shuttingDown: Bool
        /// Where the workspace is kept (since 1.5); nil for an ephemeral daemon, which keeps nothing.
        public var stateDir: String?

        public init(pid: Int32, uptimeSeconds: Double, protocolVersion: String, sessions: Int,
                    inFlight: [InFlightRequest], rejected: [String: Int], shuttingDown: Bool, stateDir: String? = nil) {
            self.pid = pid
            self.uptimeSeconds = uptimeSeconds
            self.protocolVersion = protocolVersion
            self.sessions = sessions
            self.inFlight = inFlight
            self.rejected = rejected
            self.shuttingDown = shuttingDown
            self.stateDir = stateDir
        }

        enum CodingKeys: String, CodingKey {
            case pid, sessions, rejected
            case uptimeSeconds = "uptime_s"
            case protocolVersion = "protocol_version"
            case inFlight = "in_flight"
            case shuttingDown = "shutting_down"
            case stateDir = "state_dir"
        }
    }

    public struct InFlightRequest: Codable, Sendable, Equatable {
        public var session: String
        public var id: JSONValue
        public var method: String
        public var elapsedSeconds: Double
        public init(session: String, id: JSONValue, method: String, elapsedSeconds: Double) {
            self.session = session
            self.id = id
            self.method = method
            self.elapsedSeconds = elapsedSeconds
        }
        enum CodingKeys: String, CodingKey {
            case session, id, method
            case elapsedSeconds = "elapsed_s"
        }
    }
}
