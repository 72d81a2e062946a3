/// `$/welcome` (event): published on a topic each time a subscriber subscribes to it, so the
/// subscriber knows its subscription is live and nothing after this point will be missed.
public enum Welcome: NotificationMethod {
    public static let method = "$/welcome"

    public struct Params: Codable, Sendable, Equatable, KnownFields {
        public static let fieldNames = ["topic", "protocol_version"]
        public var topic: String
        public var protocolVersion: String
        public init(topic: String, protocolVersion: String) {
            self.topic = topic
            self.protocolVersion = protocolVersion
        }
        enum CodingKeys: String, CodingKey {
            case topic
            case protocolVersion = "protocol_version"
        }
    }
}
