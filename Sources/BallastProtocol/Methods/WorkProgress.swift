/// `$/progress` (notification, daemon to client): LSP-style work-done progress for a request that
/// carried a `progress_token`. `value.kind` is `begin` (with `title`), then any number of
/// `report`, then exactly one `end`. Method-specific fields (epoch, loss, metrics) sit beside them.
public enum WorkProgress: NotificationMethod {
    public static let method = "$/progress"

    public struct Params: Codable, Sendable, Equatable, KnownFields {
        public static let fieldNames = ["token", "value"]
        public var token: JSONValue
        public var value: JSONValue
        public init(token: JSONValue, value: JSONValue) {
            self.token = token
            self.value = value
        }
    }

    public enum Kind: String, Codable, Sendable { case begin, report, end }
}
