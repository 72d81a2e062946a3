import BallastClient
import BallastProtocol
import Foundation

extension Client {
    /// The JSON-RPC error a call ends with, or nil when it succeeds.
    func rpcError(_ method: String, _ params: JSONValue = [:], buffers: [Data] = []) -> RPCError? {
        do {
            _ = try call(method, params: params, buffers: buffers)
            return nil
        } catch {
            if case .rpc(let rpc) = error { return rpc }
            return nil
        }
    }

    /// Generates the fraud-shaped preset (smaller when asked) and splits it 50/20/30.
    func prepareCards(rows: Int? = nil, seed: Int64 = 1) throws {
        var params: [String: JSONValue] = ["preset": "fraud", "name": "cards", "seed": .int(seed)]
        if let rows { params["rows"] = .int(Int64(rows)) }
        _ = try call("dataset/generate", params: .object(params))
        _ = try call("dataset/split", params: ["dataset": "cards", "test": 0.3, "validation": 0.2, "seed": 0])
    }
}
