import BallastProtocol
import Foundation
import Synchronization

/// The one reply a request is owed.
///
/// - Important: every request gets exactly one reply. A second reply is refused (and asserts in
///   debug builds); a handle dropped without a reply asserts in debug builds and, in release
///   builds, answers -32603 so the client is never left waiting. A stopping daemon may answer a
///   request whose work has not ended (`abandon`); the work's own reply is then dropped quietly.
public final class ReplyHandle: Sendable {
    public let id: RequestID
    public let method: String
    private let deliver: @Sendable (_ message: JSONValue, _ buffers: [Data]) -> Void
    /// Called by `deinit` for a handle dropped without a reply, before the -32603 goes out.
    private let droppedUnanswered: @Sendable (_ id: RequestID, _ method: String) -> Void
    private let answered = Atomic<UInt8>(Answer.none)

    private enum Answer {
        static let none: UInt8 = 0, byWork: UInt8 = 1, byStop: UInt8 = 2
    }

    /// - Parameter droppedUnanswered: what a handle dropped without a reply does besides answering
    ///   -32603; by default it asserts (a bug in debug builds). Tests that drop a handle on purpose
    ///   pass something that records it instead.
    init(id: RequestID, method: String,
         droppedUnanswered: @escaping @Sendable (_ id: RequestID, _ method: String) -> Void = ReplyHandle.assertAnswered,
         deliver: @escaping @Sendable (_ message: JSONValue, _ buffers: [Data]) -> Void) {
        self.id = id
        self.method = method
        self.droppedUnanswered = droppedUnanswered
        self.deliver = deliver
    }

    static let assertAnswered: @Sendable (RequestID, String) -> Void = { id, method in
        assertionFailure("request \(id) (\(method)) was dropped without a reply")
    }

    public var isAnswered: Bool { answered.load(ordering: .acquiring) != Answer.none }

    /// Answers with `result`, followed on the wire by `buffers` (binary frames after the payload,
    /// which `result` refers to as `{"buffer": i, …}`; protocol/README.md section 1). Only the
    /// request socket carries buffers.
    public func succeed(_ result: JSONValue, buffers: [Data] = []) {
        send(Message.response(id: id, outcome: .result(result)).json, buffers: buffers)
    }

    public func fail(_ error: RPCError) {
        send(Message.response(id: id, outcome: .error(error)).json, buffers: [])
    }

    /// Answers with `error` for a daemon that stops before the work ended; false when already answered.
    @discardableResult
    func abandon(with error: RPCError) -> Bool {
        guard answered.compareExchange(expected: Answer.none, desired: Answer.byStop, ordering: .acquiringAndReleasing).exchanged else {
            return false
        }
        deliver(Message.response(id: id, outcome: .error(error)).json, [])
        return true
    }

    private func send(_ message: JSONValue, buffers: [Data]) {
        let (exchanged, before) = answered.compareExchange(expected: Answer.none, desired: Answer.byWork, ordering: .acquiringAndReleasing)
        guard exchanged else {
            // The stop already answered this request; the work's late reply has no one to go to.
            assert(before == Answer.byStop, "request \(id) (\(method)) was answered twice")
            return
        }
        deliver(message, buffers)
    }

    deinit {
        if !isAnswered {
            droppedUnanswered(id, method)
            deliver(Message.response(id: id, outcome: .error(.internalError(
                "The server lost track of this request without answering it; please report this."))).json, [])
        }
    }
}
