import Foundation
import ZeroMQ

/// A socket operation that failed: which one, the `errno` it reported (captured by the ZeroMQ
/// layer straight after the failing call), and a sentence saying so.
///
/// BallastTransport's callers see this type, never the ZeroMQ one, so they need not import ZeroMQ.
public struct TransportError: Error, CustomStringConvertible, Sendable, Equatable {
    public let operation: String
    /// The system error number, or nil when no call failed (an endpoint that could not be read).
    public let errno: Int32?
    public let description: String

    init(_ error: ZMQError) {
        operation = error.operation
        errno = error.errno
        description = error.description
    }

    init(operation: String, reason: String) {
        self.operation = operation
        errno = nil
        description = "\(operation) failed: \(reason)"
    }
}

/// Runs socket calls, turning a ZeroMQ error into a `TransportError`.
func transporting<T>(_ body: () throws(ZMQError) -> T) throws(TransportError) -> T {
    do { return try body() } catch { throw TransportError(error) }
}
