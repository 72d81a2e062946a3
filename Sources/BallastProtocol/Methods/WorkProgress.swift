/// `$/progress` (notification, daemon to client): LSP-style work-done progress for a request that
/// carried a `progress_token`. `value` is a `RunEvent`: `kind` is `begin` (with `title`), then any
/// number of `report`, then exactly one `end`; method-specific fields (step, loss, …) sit beside it.
public enum WorkProgress: NotificationMethod {
    public static let method = "$/progress"

    public struct Params: Codable, Sendable, Equatable, KnownFields {
        public static let fieldNames = ["token", "value"]
        public var token: JSONValue
        public var value: RunEvent
        public init(token: JSONValue, value: RunEvent) {
            self.token = token
            self.value = value
        }
    }

    public enum Kind: String, Codable, Sendable { case begin, report, end }
}
