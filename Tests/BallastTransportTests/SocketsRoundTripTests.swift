import BallastProtocol
import Foundation
import Synchronization
import XCTest
import BallastTransport

/// The daemon's sockets and a client's, over real loopback TCP on ephemeral ports: what is sent
/// arrives framed and signed as protocol/README.md says.
final class SocketsRoundTripTests: XCTestCase {
    func testARequestIsRoutedAndItsReplyComesBackSigned() throws {
        let server = try ServerSockets(binding: ConnectionInfo()) { XCTFail($0) }
        defer { server.stop() }
        XCTAssertTrue([server.info.requestPort, server.info.controlPort, server.info.eventPort].allSatisfy { $0 > 0 },
                      "the bound ports replace the zeros asked for")
        let received = Mutex<[[Data]]>([])
        let arrived = DispatchSemaphore(value: 0)
        server.start(ServerSockets.Receivers(
            request: { frames in
                received.withLock { $0.append(frames) }
                server.reply(Data("answer".utf8), to: frames[0], on: .request)
                arrived.signal()
            },
            control: { frames in server.reply(Data("control answer".utf8), to: frames[0], on: .control) },
            subscription: { _ in }))

        let identity = Data("client-identity".utf8)
        let client = try ClientSockets(server.info, identity: identity)
        defer { client.close() }
        try client.send([Data("signature".utf8), Data("question".utf8)], on: .request)
        let reply = try XCTUnwrap(try client.receive(on: .request, until: Date().addingTimeInterval(10)))
        XCTAssertEqual(arrived.wait(timeout: .now() + 10), .success)
        XCTAssertEqual(received.withLock { $0 }, [[identity, Data("signature".utf8), Data("question".utf8)]])
        XCTAssertEqual(reply.count, 2)
        XCTAssertTrue(server.info.signer.verify(signature: reply[0], payload: reply[1]), "replies are signed with the key")
        XCTAssertEqual(reply[1], Data("answer".utf8))

        try client.send([Data("signature".utf8), Data("ping".utf8)], on: .control)
        let controlReply = try XCTUnwrap(try client.receive(on: .control, until: Date().addingTimeInterval(10)))
        XCTAssertEqual(controlReply.last, Data("control answer".utf8))
    }

    func testASubscriberReceivesWhatIsPublishedOnItsTopic() throws {
        let server = try ServerSockets(binding: ConnectionInfo()) { XCTFail($0) }
        defer { server.stop() }
        let subscribed = DispatchSemaphore(value: 0)
        server.start(ServerSockets.Receivers(request: { _ in }, control: { _ in }, subscription: { notice in
            // The events socket tells of each subscription it applied: publish only once it is in place.
            if notice == .accepted(topic: "run.7") { subscribed.signal() }
        }))
        let subscriber = try EventSubscriber(server.info, topic: "run.7")
        defer { subscriber.close() }
        XCTAssertEqual(subscribed.wait(timeout: .now() + 10), .success, "the subscription never reached the daemon")
        server.publish(Data("other".utf8), topic: "daemon")
        server.publish(Data("progress".utf8), topic: "run.7")
        let event = try XCTUnwrap(try subscriber.receive(until: Date().addingTimeInterval(10)))
        XCTAssertEqual(event.count, 3)
        XCTAssertEqual(event[0], Data("run.7".utf8))
        XCTAssertTrue(server.info.signer.verify(signature: event[1], payload: event[2]))
        XCTAssertEqual(event[2], Data("progress".utf8))
    }

    func testClosingTwiceIsHarmlessAndLaterUseKeepsTheErrno() throws {
        let client = try ClientSockets(ConnectionInfo(requestPort: 1, controlPort: 2, eventPort: 3), identity: Data("x".utf8))
        client.close()
        client.close()
        XCTAssertThrowsError(try client.send([Data()], on: .request)) { error in
            XCTAssertEqual((error as? TransportError)?.errno, ENOTSOCK)
        }
    }

    func testABindFailureNamesTheCallAndKeepsTheErrno() throws {
        let first = try ServerSockets(binding: ConnectionInfo()) { _ in }
        defer { first.stop() }
        var taken = ConnectionInfo()
        taken.requestPort = first.info.requestPort
        XCTAssertThrowsError(try ServerSockets(binding: taken) { _ in }) { error in
            let transport = error as? TransportError
            XCTAssertEqual(transport?.errno, EADDRINUSE)
            XCTAssertTrue(transport?.description.contains("zmq_bind") ?? false, transport?.description ?? "")
        }
    }
}
