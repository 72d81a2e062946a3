/// `run/events`: the records of a run (training, experiment) from a sequence number on, so a
/// subscriber that joined late or lost messages on the events socket misses nothing.
public enum RunEvents: RequestMethod {
    public static let method = "run/events"

    public struct Params: Codable, Sendable, Equatable, KnownFields {
        public static let fieldNames = ["run", "since_seq", "limit"]
        /// The records one reply holds when `limit` is not given, and the most it may ask for.
        public static let defaultLimit = 10_000
        public static let maxLimit = 100_000
        public var run: String
        /// Return records with `seq` greater than this (default 0: everything).
        public var sinceSeq: Int?
        /// At most this many records (default 10,000; 1 to 100,000); `next_since_seq` then says
        /// where the next page starts.
        public var limit: Int?
        public init(run: String, sinceSeq: Int? = nil, limit: Int? = nil) {
            self.run = run
            self.sinceSeq = sinceSeq
            self.limit = limit
        }
        enum CodingKeys: String, CodingKey {
            case run
            case sinceSeq = "since_seq"
            case limit
        }
    }

    public struct Result: Codable, Sendable, Equatable {
        public var run: String
        /// Each record as published on `run.<id>`.
        public var events: [RunEvent]
        /// True once the run has ended: no record will follow the last one.
        public var complete: Bool
        /// Present when the reply holds `limit` records and more may follow: the seq of the last
        /// one, to pass as `since_seq` for the next page.
        public var nextSinceSeq: Int?
        public init(run: String, events: [RunEvent], complete: Bool, nextSinceSeq: Int? = nil) {
            self.run = run
            self.events = events
            self.complete = complete
            self.nextSinceSeq = nextSinceSeq
        }
        enum CodingKeys: String, CodingKey {
            case run, events, complete
            case nextSinceSeq = "next_since_seq"
        }
    }
}

extension RunEvent {
    /// The notification each record is published as, on the events socket under `run.<id>`.
    public static let method = "run/event"
}

/// `run/cancel` (control socket): stops a running job by run id (or by the model name it will
/// produce), from any client. The job's request is answered with -32800.
public enum RunCancel: RequestMethod {
    public static let method = "run/cancel"

    public struct Params: Codable, Sendable, Equatable, KnownFields {
        public static let fieldNames = ["run", "name"]
        public var run: String?
        public var name: String?
        public init(run: String? = nil, name: String? = nil) {
            self.run = run
            self.name = name
        }
    }

    public struct Result: Codable, Sendable, Equatable {
        public var run: String
        /// False when the run had already ended.
        public var cancelled: Bool
        public init(run: String, cancelled: Bool) {
            self.run = run
            self.cancelled = cancelled
        }
    }
}
