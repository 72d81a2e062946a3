import BallastProtocol
import BallastStore
import Foundation

/// What a run says about itself when it begins, besides its params: what `run/list` filters on.
struct RunDetails: Sendable {
    /// The datasets it reads, by the role their name had in the params, with fingerprints.
    var datasets: [RunDataset]
    var model: String? = nil
    var modelType: String? = nil
    var loss: String? = nil
    /// The configuration resolved from the params, as wire JSON.
    var config: JSONValue? = nil
}

extension Runs {
    /// Runs `body` as a run: begins it, and ends it however `body` ends, before the reply goes
    /// out: `completed` with `metrics(result)` and the result as sent, `cancelled` with what the
    /// cancellation's partial result holds, or `failed` with the error's message.
    ///
    /// - Important: the end is written in a `defer`, so no path out of `body` leaves a run
    ///   `running` in the store while the daemon lives.
    func record<Result: Encodable>(
        method: String, outputName: String? = nil, details: RunDetails, context: RequestContext,
        metrics: (Result) -> [String: Double], _ body: (RunRecorder) throws -> Result
    ) throws -> Result {
        let recorder = begin(method: method, outputName: outputName, details: details, context: context)
        var status = RunStatusName.failed
        var finalMetrics: [String: Double] = [:]
        var result: JSONValue?
        var message: String? = "The run stopped without an answer."
        defer {
            if status != .completed {
                recorder.endIfOpen(RunEvent(kind: .end, stopReason: status == .cancelled ? .cancelled : .failed, message: message))
            }
            finish(recorder.id, status: status, metrics: finalMetrics, result: result, message: message)
        }
        do {
            let answer = try body(recorder)
            finalMetrics = metrics(answer)
            result = try? JSONValue(encoding: answer)
            (status, message) = (.completed, nil)
            return answer
        } catch {
            let wire = MethodTable.rpcError(from: error)
            if wire.code == ErrorCode.requestCancelled {
                (status, message) = (.cancelled, nil)
                finalMetrics = RunMetrics.flatten(wire.data ?? .null)
            } else {
                message = wire.message
            }
            throw error
        }
    }
}
