import BallastProtocol
import BallastTransport
import Foundation
import ZeroMQ

/// A subscription to topics on the daemon's events socket. `init` returns once the daemon's
/// `$/welcome` for the topic has arrived, so nothing published afterwards is missed.
public final class EventSubscription {
    private let context: Context
    private let socket: Socket
    private let signer: MessageSigner

    public struct Event: Sendable {
        public var topic: String
        public var method: String
        public var params: JSONValue
    }

    public init(_ info: ConnectionInfo, topic: String, timeout: Double = 5) throws(ClientError) {
        signer = info.signer
        do {
            context = try Context()
            socket = try Socket(context, .sub)
            try socket.connect(info.eventEndpoint)
            try socket.subscribe(Data(topic.utf8))
        } catch {
            throw .transport(error)
        }
        let deadline = Date().addingTimeInterval(timeout)
        while let event = try next(timeout: deadline.timeIntervalSinceNow) {
            if event.method == Welcome.method && event.params["topic"]?.stringValue == topic { return }
        }
        throw .timeout(method: "subscribe \(topic)", seconds: timeout)
    }

    deinit { socket.close() }

    /// The next verified event, or nil after `timeout` seconds.
    public func next(timeout: Double) throws(ClientError) -> Event? {
        let deadline = Date().addingTimeInterval(max(0, timeout))
        let poller = Poller([.socket(socket)])
        while deadline.timeIntervalSinceNow > 0 {
            do {
                guard try poller.poll(timeoutMilliseconds: Int(deadline.timeIntervalSinceNow * 1000) + 1)[0],
                      let frames = try socket.receive(dontWait: true) else { continue }
                guard frames.count == 3, signer.verify(signature: frames[1], payload: frames[2]),
                      let value = try? JSONParser.parse(frames[2]),
                      case .success(.notification(let method, let params)) = Message.classify(value) else { continue }
                return Event(topic: String(decoding: frames[0], as: UTF8.self), method: method, params: params)
            } catch {
                throw .transport(error)
            }
        }
        return nil
    }
}
