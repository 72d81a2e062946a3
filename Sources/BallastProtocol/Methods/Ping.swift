/// `ping`: answered on both the request and the control socket; on the control socket it is
/// answered even while every compute thread is busy.
public enum Ping: RequestMethod {
    public static let method = "ping"
    public typealias Params = NoParams

    public struct Result: Codable, Sendable, Equatable {
        public var pong: Bool
        public var uptimeSeconds: Double
        public init(pong: Bool = true, uptimeSeconds: Double) {
            self.pong = pong
            self.uptimeSeconds = uptimeSeconds
        }
        enum CodingKeys: String, CodingKey {
            case pong
            case uptimeSeconds = "uptime_s"
        }
    }
}
