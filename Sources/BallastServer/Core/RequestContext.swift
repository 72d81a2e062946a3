import BallastProtocol
import Foundation

/// What a handler knows about the request it serves: who asked, whether it has been cancelled,
/// and how to report progress to the asker and to the events socket.
public struct RequestContext: Sendable {
    public let session: String
    public let id: RequestID
    public let cancellation: CancellationFlag
    /// The `progress_token` the client sent, if any: `$/progress` notifications carry it.
    public let progressToken: JSONValue?
    let notifyClient: @Sendable (JSONValue) -> Void
    public let events: EventPublisher
    /// The binary buffers the request carried, and those its reply will carry (see `RequestBuffers`).
    public internal(set) var buffers = RequestBuffers()
    /// The request's params exactly as sent (runs keep them); set by the method table before
    /// the handler runs.
    public internal(set) var params: JSONValue = .null

    /// Throws the -32800 error when the request has been cancelled; long work calls this between
    /// batches or iterations.
    public func checkCancellation(partial: JSONValue? = nil) throws(RPCError) {
        if cancellation.isCancelled { throw RPCError.cancelled(partial: partial) }
    }

    /// Sends `$/progress {token, value}` to the requesting client when it asked for progress.
    public func progress(_ event: RunEvent) {
        guard let progressToken,
              let params = try? JSONValue(encoding: WorkProgress.Params(token: progressToken, value: event)) else { return }
        notifyClient(Message.notification(method: WorkProgress.method, params: params).json)
    }
}
