/// A dataset an earlier daemon held that is not in memory now, as `dataset/list` reports it
/// (under `unavailable`): why it did not come back, and how it was made, so it can be made again.
/// It stays listed until a dataset of that name is stored again or `dataset/drop` forgets it.
public struct DatasetUnavailable: Codable, Sendable, Equatable {
    public var name: String
    public var reason: DatasetUnavailableName
    /// A sentence for a person: what happened and how to get the dataset back.
    public var message: String
    /// How it was made: `{"method": "dataset/load", "params": {…as sent}, "sources": [{"name", "fingerprint"}]}`.
    public var provenance: JSONValue?
    /// The fingerprint of the data it held (`run/describe` records the same beside a dataset name).
    public var fingerprint: String?

    public init(name: String, reason: DatasetUnavailableName, message: String, provenance: JSONValue? = nil,
                fingerprint: String? = nil) {
        self.name = name
        self.reason = reason
        self.message = message
        self.provenance = provenance
        self.fingerprint = fingerprint
    }
}
