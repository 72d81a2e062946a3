import BallastProtocol
import BallastTransport
import Foundation

/// A subscription to topics on the daemon's events socket. `init` returns once the daemon's
/// `$/welcome` for the topic has arrived, so nothing published afterwards is missed.
///
/// The daemon may refuse a subscription it cannot yet tell apart from junk (anyone on the machine
/// can reach the events socket, see protocol/README.md §2), and never says so; so while no welcome
/// comes, the subscription is sent again, after `firstResend` seconds and then at doubling
/// intervals up to `longestResendInterval`, until the timeout.
public final class EventSubscription {
    public static let firstResend = 0.25
    public static let longestResendInterval = 2.0

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
        var interval = Self.firstResend
        var resend = Date().addingTimeInterval(interval)
        while true {
            if Date() >= resend {
                do { try subscriber.resubscribe() } catch { throw .transport(error) }
                interval = min(interval * 2, Self.longestResendInterval)
                resend = Date().addingTimeInterval(interval)
            }
            guard let event = try next(timeout: min(deadline, resend).timeIntervalSinceNow) else {
                if Date() >= deadline { break }
                continue
            }
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
