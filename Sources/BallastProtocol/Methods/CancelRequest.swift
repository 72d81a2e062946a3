/// `$/cancelRequest` (notification): asks that a request still in flight stop. On the request
/// socket it names one of the sender's own requests; on the control socket it also names the
/// `session` that `initialize` returned. The cancelled request is answered with -32800.
public enum CancelRequest: NotificationMethod {
    public static let method = "$/cancelRequest"

    public struct Params: Codable, Sendable, Equatable, KnownFields {
        public static let fieldNames = ["id", "session"]
        public var id: JSONValue
        public var session: String?
        public init(id: JSONValue, session: String? = nil) {
            self.id = id
            self.session = session
        }
    }
}
