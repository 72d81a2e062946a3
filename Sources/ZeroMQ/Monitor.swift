import CZeroMQ
import Foundation

extension Socket {
    /// Receives one whole multipart message, like `receive(dontWait:)`, together with the file
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
