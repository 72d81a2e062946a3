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

    /// Sends `method` and cancels it at its first progress notification (only a `report` one when
    /// `reportsOnly`: the job has begun its work). Returns whether the cancel was sent and the
    /// JSON-RPC error the call ended with (nil when it finished anyway).
    func callCancellingAtFirstProgress(_ method: String, _ params: JSONValue, reportsOnly: Bool = true,
                                       timeout: Double? = nil) -> (cancelSent: Bool, failure: RPCError?) {
        let id = upcomingID
        var cancelSent = false
        do {
            _ = try call(method, params: params, timeout: timeout) { notification, body in
                guard notification == WorkProgress.method, !cancelSent,
                      !reportsOnly || body["value"]?["kind"] == "report" else { return }
                cancelSent = true
                try? cancel(id)
            }
            return (cancelSent, nil)
        } catch {
            if case .rpc(let rpc) = error { return (cancelSent, rpc) }
            return (cancelSent, nil)
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
