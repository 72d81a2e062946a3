import CZeroMQ

/// A libzmq context: the I/O threads behind every socket made from it.
///
/// libzmq contexts are thread-safe, so this class is `Sendable`. Every `Socket` holds a strong
/// reference to its context, because terminating a context blocks until its sockets are closed:
/// the context is terminated only after the last socket made from it is gone.
public final class Context: @unchecked Sendable {
    // @unchecked: the handle is only passed to libzmq functions documented as thread-safe
    // (zmq_socket, zmq_ctx_term), and it is never reassigned after init.
    let handle: UnsafeMutableRawPointer

    public init(ioThreads: Int32 = 1) throws(ZMQError) {
        guard let handle = zmq_ctx_new() else { throw ZMQError.last("zmq_ctx_new") }
        self.handle = handle
        if zmq_ctx_set(handle, ZMQ_IO_THREADS, ioThreads) != 0 {
            let error = ZMQError.last("zmq_ctx_set(ZMQ_IO_THREADS)")
            zmq_ctx_term(handle)
            throw error
        }
    }

    deinit {
        // All sockets are closed by now (each keeps the context alive), so this returns promptly.
        while zmq_ctx_term(handle) != 0 && zmq_errno() == EINTR {}
    }

    /// The libzmq version this process is linked against, as (major, minor, patch).
    public static var libraryVersion: (Int32, Int32, Int32) {
        var major: Int32 = 0, minor: Int32 = 0, patch: Int32 = 0
        zmq_version(&major, &minor, &patch)
        return (major, minor, patch)
    }
}
