#if canImport(Glibc)
import Glibc
#endif

/// One TCP connection libzmq accepted, named by its descriptor and the descriptor's inode: the
/// descriptor alone is reused once libzmq closes it, the pair names one connection for its life.
struct PeerConnection: Hashable, Sendable {
    let descriptor: Int32
    let inode: UInt64

    /// The connection behind `descriptor` now; nil when the descriptor is no longer a socket.
    init?(descriptor: Int32) {
        guard let inode = Self.socketInode(descriptor) else { return nil }
        self.descriptor = descriptor
        self.inode = inode
    }

    /// Whether this very connection is still open (its descriptor still names the same socket).
    var isAlive: Bool { Self.socketInode(descriptor) == inode }

    /// Shuts the connection down, so libzmq's I/O thread sees it end and drops the peer with all
    /// it holds. Only a live connection to `localPort` is touched; libzmq still owns and closes
    /// the descriptor. Returns whether it was shut down.
    ///
    /// - Important: the descriptor is libzmq's, and its I/O thread may close it at any moment,
    ///   after which the number can be given to another connection. The inode check, which tells
    ///   this connection from any later holder of the number, runs last, immediately before
    ///   `shutdown`. The one gap left is between that `fstat` and `shutdown`, microseconds: if
    ///   libzmq closes this connection and accepts another on the same number within it, the
    ///   other is cut instead, and its peer reconnects (a SUB socket resubscribes by itself).
    ///   Closing the gap would need libzmq to drop a peer on request, which 4.3 has no call for.
    @discardableResult
    func disconnect(ifLocalPort localPort: Int) -> Bool {
        guard Self.localPort(descriptor) == localPort, isAlive else { return false }
        return shutdown(descriptor, Int32(SHUT_RDWR)) == 0
    }

    private static func socketInode(_ descriptor: Int32) -> UInt64? {
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFSOCK else { return nil }
        return UInt64(status.st_ino)
    }

    private static func localPort(_ descriptor: Int32) -> Int? {
        var address = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let found = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        guard found == 0 else { return nil }
        switch Int32(address.ss_family) {
        case AF_INET:
            return withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin_port)) }
            }
        case AF_INET6:
            return withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin6_port)) }
            }
        default:
            return nil
        }
    }
}
