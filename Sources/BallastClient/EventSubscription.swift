import BallastProtocol
import BallastTransport
import Foundation

/// A subscription to topics on the daemon's events socket. `init` returns once the daemon's
/// `$/welcome` for the topic has arrived, so nothing published afterwards is missed.
public final class EventSubscription {
    private let subscriber: EventSubscriber
    private let signer: MessageSigner

    public struct Event: Sendable {
        public var topic: String
        public var method: String
        public var params: JSONValue
    }

    public init(_ info: ConnectionInfo, topic: String, timeout: Double = 5) throws(ClientError) {
        signer = info.signer
        do { subscriber = try EventSubscriber(info, topic: topic) } catch { throw .transport(error) }
        let deadline = Date().addingTimeInterval(timeout)
        while let event = try next(timeout: deadline.timeIntervalSinceNow) {
            if event.method == Welcome.method && event.params["topic"]?.stringValue == topic { return }
        }
        throw .timeout(method: "subscribe \(topic)", seconds: timeout, cancelled: false)
    }

    /// Closes the socket. Safe to call more than once; the socket closes with the subscription too.
    public func close() { subscriber.close() }

    /// The next verified event, or nil after `timeout` seconds.
    public func next(timeout: Double) throws(ClientError) -> Event? {
        let deadline = Date().addingTimeInterval(max(0, timeout))
        while true {
            let frames: [Data]
            do {
                guard let received = try subscriber.receive(until: deadline) else { return nil }
                frames = received
            } catch {
                throw .transport(error)
            }
            guard frames.count == 3, signer.verify(signature: frames[1], payload: frames[2]),
                  let value = try? JSONParser.parse(frames[2]),
                  case .success(.notification(let method, let params)) = Message.classify(value) else { continue }
            return Event(topic: String(decoding: frames[0], as: UTF8.self), method: method, params: params)
        }
    }
}
