import BallastProtocol
import BallastTransport
import Foundation

/// Publishes notifications on the events socket under a topic (`run.<id>`, `daemon`, …).
public struct EventPublisher: Sendable {
    let publish: @Sendable (_ topic: String, _ message: JSONValue) -> Void

    public func notify(topic: String, method: String, params: JSONValue) {
        publish(topic, Message.notification(method: method, params: params).json)
    }
}
