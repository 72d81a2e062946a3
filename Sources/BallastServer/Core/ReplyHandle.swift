import BallastProtocol
import Foundation
import Synchronization

/// The one reply a request is owed.
///
/// - Important: every request gets exactly one reply. A second reply is refused (and asserts in
///   debug builds); a handle dropped without a reply asserts in debug builds and, in release
///   builds, answers -32603 so the client is never left waiting.
public final class ReplyHandle: Sendable {
    public let id: RequestID
    public let method: String
    private let deliver: @Sendable (JSONValue) -> Void
    private let answered = Atomic<Bool>(false)

    init(id: RequestID, method: String, deliver: @escaping @Sendable (JSONValue) -> Void) {
        self.id = id
        self.method = method
        self.deliver = deliver
    }

    public var isAnswered: Bool { answered.load(ordering: .acquiring) }

    public func succeed(_ result: JSONValue) {
        send(Message.response(id: id, outcome: .result(result)).json)
    }

    public func fail(_ error: RPCError) {
        send(Message.response(id: id, outcome: .error(error)).json)
    }

    private func send(_ message: JSONValue) {
        guard answered.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else {
            assertionFailure("request \(id) (\(method)) was answered twice")
            return
        }
        deliver(message)
    }

    deinit {
        if !isAnswered {
            assertionFailure("request \(id) (\(method)) was dropped without a reply")
            deliver(Message.response(id: id, outcome: .error(.internalError(
                "The server lost track of this request without answering it; please report this."))).json)
        }
    }
}
