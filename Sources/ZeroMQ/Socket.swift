import CZeroMQ
import Foundation

/// One libzmq socket, owned by one thread at a time.
///
/// - Important: libzmq sockets are not thread-safe. A `Socket` is deliberately not `Sendable`:
///   create it, configure it, and use it on one thread, or hand it over whole to the one thread
///   that uses it from then on (as BallastTransport's `SocketLoop` takes its sockets at init).
///   `close()` is idempotent; `deinit` closes a socket that was not closed explicitly.
public final class Socket {
    public let type: SocketType
    private var handle: UnsafeMutableRawPointer?
    /// Keeps the context alive as long as this socket: terminating a context waits for its sockets.
    private let context: Context

    public init(_ context: Context, _ type: SocketType) throws(ZMQError) {
        guard let handle = zmq_socket(context.handle, type.rawValue) else {
            throw ZMQError.last("zmq_socket")
        }
        self.context = context
        self.type = type
        self.handle = handle
        // Never let a close block the process on undelivered messages; options can raise it later.
        try setOption(ZMQ_LINGER, Int32(0))
    }

    deinit { close() }

    public var isClosed: Bool { handle == nil }

    /// Closes the socket. Safe to call more than once.
    public func close() {
        guard let handle else { return }
        zmq_close(handle)
        self.handle = nil
    }

    func liveHandle(_ operation: String) throws(ZMQError) -> UnsafeMutableRawPointer {
        guard let handle else { throw ZMQError(operation: operation, errno: ENOTSOCK) }
        return handle
    }

    // MARK: Endpoints

    public func bind(_ endpoint: String) throws(ZMQError) {
        let handle = try liveHandle("zmq_bind")
        try retryingInterrupts("zmq_bind(\(endpoint))") { zmq_bind(handle, endpoint) }
    }

    public func connect(_ endpoint: String) throws(ZMQError) {
        let handle = try liveHandle("zmq_connect")
        try retryingInterrupts("zmq_connect(\(endpoint))") { zmq_connect(handle, endpoint) }
    }

    /// The endpoint of the last `bind`, with the port the system chose for a `*` port.
    public var lastEndpoint: String {
        get throws(ZMQError) { try stringOption(ZMQ_LAST_ENDPOINT) }
    }

    // MARK: Sending and receiving

    /// Sends a multipart message. With `dontWait`, returns false instead of blocking when the
    /// message cannot be queued now (EAGAIN).
    @discardableResult
    public func send(_ frames: [Data], dontWait: Bool = false) throws(ZMQError) -> Bool {
        let handle = try liveHandle("zmq_send")
        for (index, frame) in frames.enumerated() {
            var flags: Int32 = dontWait ? ZMQ_DONTWAIT : 0
            if index < frames.count - 1 { flags |= ZMQ_SNDMORE }
            do {
                try retryingInterrupts("zmq_send") {
                    frame.withUnsafeBytes { zmq_send(handle, $0.baseAddress, $0.count, flags) }
                }
            } catch where error.errno == EAGAIN && index == 0 {
                return false
            }
        }
        return true
    }

    /// Receives one whole multipart message, each frame copied out of libzmq's buffer at its
    /// real size (no fixed-size buffer, so nothing is truncated). With `dontWait`, returns nil
    /// when no message is waiting; without it, nil when a receive timeout expires.
    public func receive(dontWait: Bool = false) throws(ZMQError) -> [Data]? {
        try receiveWithSource(dontWait: dontWait)?.frames
    }

    /// Receives one whole multipart message, as `receive(dontWait:)` does, together with the file
    /// descriptor of the connection it came from (`ZMQ_SRCFD`, from the first frame that knows it);
    /// -1 where libzmq does not know it (inproc, or a message made by the socket itself).
    public func receiveWithSource(dontWait: Bool = false) throws(ZMQError) -> (frames: [Data], source: Int32)? {
        let handle = try liveHandle("zmq_msg_recv")
        var frames: [Data] = []
        var source: Int32 = -1
        while true {
            var message = zmq_msg_t()
            zmq_msg_init(&message)
            defer { zmq_msg_close(&message) }
            let flags: Int32 = (dontWait && frames.isEmpty) ? ZMQ_DONTWAIT : 0
            do {
                try retryingInterrupts("zmq_msg_recv") { zmq_msg_recv(&message, handle, flags) }
            } catch where error.errno == EAGAIN && frames.isEmpty {
                return nil
            }
            // A ROUTER's identity frame is made by the socket and carries no descriptor; the
            // frames that came over the wire do.
            if source < 0 { source = zmq_msg_get(&message, ZMQ_SRCFD) }
            let size = zmq_msg_size(&message)
            frames.append(size == 0 ? Data() : Data(bytes: zmq_msg_data(&message), count: size))
            if zmq_msg_more(&message) == 0 { return (frames, source) }
        }
    }
}
