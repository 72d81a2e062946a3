import CZeroMQ

/// Waits until one of several sockets or plain file descriptors is readable.
///
/// Build one per loop, on the thread that owns its sockets.
public struct Poller {
    public enum Source {
        case socket(Socket)
        case fileDescriptor(Int32)
    }

    private let sources: [Source]

    public init(_ sources: [Source]) { self.sources = sources }

    /// Returns, for each source in order, whether it is readable (for a file descriptor: or at its
    /// end, or in error). Waits at most `timeoutMilliseconds` (-1 = forever). An interrupting
    /// signal ends the wait early with nothing readable.
    public func poll(timeoutMilliseconds: Int) throws(ZMQError) -> [Bool] {
        var items = [zmq_pollitem_t]()
        items.reserveCapacity(sources.count)
        for source in sources {
            switch source {
            case .socket(let socket):
                items.append(zmq_pollitem_t(socket: try socket.liveHandle("zmq_poll"), fd: -1,
                                            events: Int16(ZMQ_POLLIN), revents: 0))
            case .fileDescriptor(let fd):
                items.append(zmq_pollitem_t(socket: nil, fd: fd, events: Int16(ZMQ_POLLIN), revents: 0))
            }
        }
        let count = Int32(items.count)
        let result = items.withUnsafeMutableBufferPointer { zmq_poll($0.baseAddress, count, timeoutMilliseconds) }
        if result < 0 {
            let error = ZMQError.last("zmq_poll")
            if error.errno == EINTR { return Array(repeating: false, count: sources.count) }
            throw error
        }
        // A plain file descriptor at end of file or in error (a pipe whose writer closed: poll's
        // POLLHUP, which zmq_poll reports as ZMQ_POLLERR) counts as readable: the read that
        // follows says which, where reporting it not readable would spin the caller's loop.
        return items.map { item in
            let readable = Int16(item.socket == nil ? ZMQ_POLLIN | ZMQ_POLLERR : ZMQ_POLLIN)
            return item.revents & readable != 0
        }
    }
}
