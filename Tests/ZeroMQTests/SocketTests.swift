import Foundation
import XCTest
@testable import ZeroMQ

final class SocketTests: XCTestCase {
    private func pair(_ context: Context) throws -> (Socket, Socket) {
        let server = try Socket(context, .router)
        try server.bind("tcp://127.0.0.1:*")
        let client = try Socket(context, .dealer)
        try client.connect(try server.lastEndpoint)
        return (server, client)
    }

    func testRouterDealerRoundTripKeepsFramesAndIdentity() throws {
        let context = try Context()
        let (server, client) = try pair(context)
        try client.setReceiveTimeout(milliseconds: 2000)
        try server.setReceiveTimeout(milliseconds: 2000)
        try client.send([Data("sig".utf8), Data("payload".utf8)])
        let received = try XCTUnwrap(try server.receive())
        XCTAssertEqual(received.count, 3, "identity + two frames")
        XCTAssertEqual(received[1], Data("sig".utf8))
        XCTAssertEqual(received[2], Data("payload".utf8))
        try server.send([received[0], Data(), Data("reply".utf8)])
        XCTAssertEqual(try client.receive(), [Data(), Data("reply".utf8)], "an empty frame survives")
    }

    func testLargeFramesAreReceivedWholeWithoutTruncation() throws {
        let context = try Context()
        let (server, client) = try pair(context)
        try server.setReceiveTimeout(milliseconds: 5000)
        var big = Data(count: 9_000_001)
        for index in stride(from: 0, to: big.count, by: 4099) { big[index] = UInt8(index % 251) }
        try client.send([big])
        let received = try XCTUnwrap(try server.receive())
        XCTAssertEqual(received[1].count, big.count)
        XCTAssertEqual(received[1], big)
    }

    func testReceiveWithoutWaitingReturnsNilWhenNothingIsQueued() throws {
        let context = try Context()
        let (server, _) = try pair(context)
        XCTAssertNil(try server.receive(dontWait: true))
    }

    func testCloseIsIdempotentAndLaterUseThrowsWithErrno() throws {
        let context = try Context()
        let socket = try Socket(context, .dealer)
        socket.close()
        socket.close()
        XCTAssertTrue(socket.isClosed)
        XCTAssertThrowsError(try socket.send([Data("x".utf8)])) { error in
            XCTAssertEqual((error as? ZMQError)?.errno, ENOTSOCK)
        }
    }

    func testBadEndpointKeepsErrnoAndOperationInTheError() throws {
        let context = try Context()
        let socket = try Socket(context, .router)
        XCTAssertThrowsError(try socket.bind("nonsense://nowhere")) { error in
            let zmq = error as? ZMQError
            XCTAssertEqual(zmq?.errno, EPROTONOSUPPORT)
            XCTAssertTrue(zmq?.description.contains("zmq_bind") ?? false)
        }
    }

    func testSocketKeepsItsContextAliveAfterTheCallerDropsIt() throws {
        var context: Context? = try Context()
        let socket = try Socket(context!, .pair)
        weak let weakContext = context
        context = nil
        XCTAssertNotNil(weakContext, "the socket holds its context")
        try socket.bind("inproc://kept-alive")
        socket.close()
    }

    func testPollerWakesOnFileDescriptorFromAnotherThread() throws {
        let context = try Context()
        let socket = try Socket(context, .dealer)
        let wakeup = try Wakeup()
        let poller = Poller([.socket(socket), .fileDescriptor(wakeup.fileDescriptor)])
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.05) { wakeup.signal() }
        let readable = try poller.poll(timeoutMilliseconds: 5000)
        XCTAssertEqual(readable, [false, true])
        wakeup.drain()
        XCTAssertEqual(try poller.poll(timeoutMilliseconds: 0), [false, false], "drain clears the signal")
    }

    func testMaxMessageSizeDropsOversizedMessages() throws {
        let context = try Context()
        let server = try Socket(context, .router)
        try server.setMaxMessageSize(bytes: 1000)
        try server.bind("tcp://127.0.0.1:*")
        let client = try Socket(context, .dealer)
        try client.connect(try server.lastEndpoint)
        try client.send([Data(count: 5000)])
        try server.setReceiveTimeout(milliseconds: 300)
        XCTAssertNil(try server.receive(), "a message over ZMQ_MAXMSGSIZE never arrives")
    }
}
