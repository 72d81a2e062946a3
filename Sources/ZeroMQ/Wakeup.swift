import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A self-pipe that any thread may signal and a socket loop may poll beside its sockets:
/// how other threads hand work to the one thread that owns a socket.
public final class Wakeup: @unchecked Sendable {
    // @unchecked: both descriptors are fixed at init; pipe reads and writes are atomic in the kernel.
    public let fileDescriptor: Int32
    private let writeEnd: Int32

    public init() throws(ZMQError) {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { throw ZMQError(operation: "pipe", errno: errno) }
        for fd in ends {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        fileDescriptor = ends[0]
        writeEnd = ends[1]
    }

    deinit {
        _ = Glibc.close(fileDescriptor)
        _ = Glibc.close(writeEnd)
    }

    /// Wakes the loop polling this descriptor. Callable from any thread; a full pipe already
    /// means a wake-up is pending, so a failed write is harmless.
    public func signal() {
        var byte: UInt8 = 1
        _ = write(writeEnd, &byte, 1)
    }

    /// Clears pending signals; the loop calls this before draining its queue.
    public func drain() {
        var buffer = [UInt8](repeating: 0, count: 256)
        while read(fileDescriptor, &buffer, buffer.count) > 0 {}
    }
}
