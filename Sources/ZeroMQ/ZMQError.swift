import CZeroMQ

/// A failed libzmq call: which operation, and the `errno` libzmq reported, with its text.
public struct ZMQError: Error, CustomStringConvertible, Sendable, Equatable {
    public let operation: String
    public let errno: Int32

    public init(operation: String, errno: Int32) {
        self.operation = operation
        self.errno = errno
    }

    /// Captures `zmq_errno()` right after a failed call.
    static func last(_ operation: String) -> ZMQError {
        ZMQError(operation: operation, errno: zmq_errno())
    }

    public var description: String {
        "\(operation) failed: \(String(cString: zmq_strerror(errno))) (errno \(errno))"
    }

    /// The context was terminated or the socket closed underneath the call: time to stop a loop.
    public var isTermination: Bool { errno == ETERM || errno == ENOTSOCK }
}

/// Runs a libzmq call that returns -1 on failure, retrying while it was interrupted by a signal.
@discardableResult
func retryingInterrupts(_ operation: String, _ call: () -> Int32) throws(ZMQError) -> Int32 {
    while true {
        let result = call()
        if result >= 0 { return result }
        let error = ZMQError.last(operation)
        if error.errno == EINTR { continue }
        throw error
    }
}
