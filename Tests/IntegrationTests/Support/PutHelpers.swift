import BallastClient
import BallastProtocol
import BallastTransport
import Foundation

/// A dataset as `dataset/put` sends it: a float32 matrix (text columns as level codes), int32
/// class indices, and optionally ids.
struct PutData {
    var columns: JSONValue
    var width: Int
    var classes: [String]
    var features: [Float]
    var labels: [Int32]
    var ids: [String]?

    var rows: Int { labels.count }

    /// `rows × width` numeric columns `f0…`, values that test bit-exactness (negative zero,
    /// subnormals, large and tiny numbers), and a minority class.
    static func numeric(rows: Int, width: Int, seed: UInt64 = 1, ids: Bool = false) -> PutData {
        var state = seed
        func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state >> 11
        }
        let specials: [Float] = [-0.0, 0x1p-149, .greatestFiniteMagnitude, -.leastNormalMagnitude, 1e-30, 0.1]
        var features: [Float] = []
        for index in 0..<(rows * width) {
            features.append(index % 17 == 5 ? specials[index % specials.count] : Float(bitPattern: UInt32(truncatingIfNeeded: next()) & 0x3FFF_FFFF) * (next() % 2 == 0 ? 1 : -1))
        }
        let labels = (0..<rows).map { Int32($0 % 5 == 0 ? 1 : 0) }
        return PutData(columns: .array((0..<width).map { ["name": .string("f\($0)")] }), width: width, classes: ["no", "yes"],
                       features: features, labels: labels, ids: ids ? (0..<rows).map { "row-\($0)" } : nil)
    }

    /// The first-chunk params (without rows, features, labels, ids).
    func header(name: String) -> [String: JSONValue] {
        ["name": .string(name), "columns": columns, "classes": .array(classes.map { .string($0) })]
    }

    /// Sends it in chunks of `chunkRows` rows; returns the last chunk's result.
    @discardableResult
    func put(_ client: Client, name: String, chunkRows: Int? = nil, extra: [String: JSONValue] = [:]) throws -> JSONValue {
        let step = max(1, chunkRows ?? rows)
        var upload: String?
        var start = 0
        while true {
            let end = min(rows, start + step)
            var params: [String: JSONValue] = upload.map { ["upload": .string($0)] } ?? header(name: name).merging(extra) { $1 }
            params["rows"] = .int(Int64(end - start))
            params["features"] = ["buffer": 0]
            params["labels"] = ["buffer": 1]
            if let ids { params["ids"] = .array(ids[start..<end].map { .string($0) }) }
            let more = end < rows
            if more { params["more"] = true }
            let result = try client.call(DatasetPut.method, params: .object(params),
                                         buffers: [LittleEndianArrays.data(Array(features[(start * width)..<(end * width)])),
                                                   LittleEndianArrays.data(Array(labels[start..<end]))])
            if !more { return result }
            upload = result["upload"]?.stringValue
            start = end
        }
    }
}

/// What `dataset/get` gave back, all pages together.
struct GotData {
    var featureNames: [String]
    var classes: [String]
    var features: [Float] = []
    var labels: [Int32] = []
    var ids: [String]?
    var label: String
    var pages = 0
    var last: JSONValue = .null
}

extension Client {
    func getAll(_ dataset: String, limit: Int? = nil) throws -> GotData {
        var got: GotData?
        var offset = 0
        while true {
            var params: [String: JSONValue] = ["dataset": .string(dataset), "offset": .int(Int64(offset))]
            if let limit { params["limit"] = .int(Int64(limit)) }
            let reply = try callWithBuffers(DatasetGet.method, params: .object(params))
            let result = reply.result
            if got == nil {
                got = GotData(featureNames: result["feature_names"]?.arrayValue?.compactMap(\.stringValue) ?? [],
                              classes: result["classes"]?.arrayValue?.compactMap(\.stringValue) ?? [],
                              label: result["label"]?.stringValue ?? "")
            }
            let rows = Int(result["rows"]?.intValue ?? 0)
            let features = Int(result["features"]?["buffer"]?.intValue ?? -1), labels = Int(result["labels"]?["buffer"]?.intValue ?? -1)
            got!.features += LittleEndianArrays.floats(reply.buffers[features])
            got!.labels += LittleEndianArrays.int32s(reply.buffers[labels])
            if let ids = result["ids"]?.arrayValue { got!.ids = (got!.ids ?? []) + ids.compactMap(\.stringValue) }
            got!.pages += 1
            got!.last = result
            offset += rows
            if rows == 0 || offset >= Int(result["total_rows"]?.intValue ?? 0) { return got! }
        }
    }
}
