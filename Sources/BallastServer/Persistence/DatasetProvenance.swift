import BallastProtocol
import Foundation

/// How datasets were made, as the store records it beside them: the method, its params as sent
/// (without `progress_token` and `keep`, which say nothing of the data), and the datasets it
/// read. A dataset that does not come back after a restart is made again from this.
struct DatasetProvenance: Sendable {
    let method: String
    let params: JSONValue
    /// The datasets read, by name; their fingerprints are added when the result is stored.
    let sources: [String]
    /// The request's `keep` (nil: the daemon's default).
    let keep: Bool?

    init<Method: RequestMethod>(_ method: Method.Type, _ params: Method.Params, sources: [String] = [], keep: Bool?) {
        self.method = Method.method
        var json = (try? JSONValue(encoding: params)) ?? .object([:])
        if case .object(var fields) = json {
            fields["progress_token"] = nil
            fields["keep"] = nil
            json = .object(fields)
        }
        self.params = json
        self.sources = sources
        self.keep = keep
    }

    /// `{"method", "params", "sources": [{"name", "fingerprint"}]}`, with each source's fingerprint.
    func json(fingerprints: [String: String]) -> JSONValue {
        ["method": .string(method), "params": params,
         "sources": .array(sources.map { ["name": .string($0), "fingerprint": fingerprints[$0].map { .string($0) } ?? .null] })]
    }

    /// What to send to make a dataset again, for a person: `dataset/load {"path": "/data/cards.csv", …}`.
    static func howToMakeAgain(_ provenance: JSONValue) -> String {
        guard let method = provenance["method"]?.stringValue else { return "Make it again the way it was made." }
        // An upload's data came from the client, not from anything the daemon could read again.
        if method == DatasetPut.method { return "It was uploaded with dataset/put: upload it again from where it came from." }
        let params = provenance["params"].map { JSONWriter.string($0) } ?? "{}"
        let sources = provenance["sources"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
        let from = sources.isEmpty ? "" : " (from \(sources.map { "'\($0)'" }.joined(separator: ", ")))"
        return "To make it again, call \(method) with \(params)\(from)."
    }
}
