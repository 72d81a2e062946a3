import BallastProtocol
import BallastTransport
import Foundation
import Synchronization

/// The binary buffers a request carried (after its payload) and those its reply will carry.
///
/// A handler reads a buffer through the param that refers to it (`bytes(_:field:expectedBytes:)`,
/// `floats`, `int32s`), which checks its byte length and records that it was used; the method
/// table refuses, before the handler runs, a request whose references do not match its buffers
/// (`BufferReferences.check`), and after it, one whose handler left a buffer unread.
///
/// A handler answers with buffers by attaching them (`attach`) and putting the `TypedBuffer` it
/// gets back into its result: the reply's buffers go out in the order they were attached, after
/// the payload.
public final class RequestBuffers: Sendable {
    /// What came after the payload, in order.
    public let received: [Data]
    private let state = Mutex(State())

    private struct State {
        /// Buffer index → the param path that read it.
        var read: [Int: String] = [:]
        var outgoing: [Data] = []
    }

    init(_ received: [Data] = []) {
        self.received = received
    }

    public var count: Int { received.count }

    /// The bytes `reference` (the param at `field`) points to, which must be `expectedBytes` long.
    /// A missing buffer, one already read under another field, or one of the wrong length is -32602
    /// naming `field`.
    public func bytes(_ reference: BufferReference, field: String, expectedBytes: Int) throws(RPCError) -> Data {
        let index = reference.buffer
        guard received.indices.contains(index) else {
            throw BufferReferences.missing(index, field: field, carried: received.count)
        }
        let data = received[index]
        guard data.count == expectedBytes else {
            throw RPCError(code: ErrorCode.invalidParams,
                           message: "The buffer \(index) for '\(field)' holds \(data.count) bytes; \(expectedBytes) were expected.",
                           data: ["field": .string(field), "buffer": .int(Int64(index)),
                                  "expected_bytes": .int(Int64(expectedBytes)), "actual_bytes": .int(Int64(data.count))])
        }
        let earlier: String? = state.withLock { state in
            if let earlier = state.read[index], earlier != field { return earlier }
            state.read[index] = field
            return nil
        }
        if let earlier { throw BufferReferences.twice(index, field: field, first: earlier) }
        return data
    }

    /// The little-endian float32 values at `reference`, which must hold exactly `count` of them.
    public func floats(_ reference: BufferReference, field: String, count: Int) throws(RPCError) -> [Float] {
        LittleEndianArrays.floats(try bytes(reference, field: field, expectedBytes: try Self.byteCount(count, field: field)))
    }

    /// The little-endian int32 values at `reference`, which must hold exactly `count` of them.
    public func int32s(_ reference: BufferReference, field: String, count: Int) throws(RPCError) -> [Int32] {
        LittleEndianArrays.int32s(try bytes(reference, field: field, expectedBytes: try Self.byteCount(count, field: field)))
    }

    /// Adds a buffer to the reply and returns what the result says about it (`{buffer, dtype, shape}`).
    public func attach(_ data: Data, dtype: BufferDType, shape: [Int]) -> TypedBuffer {
        state.withLock { state in
            state.outgoing.append(data)
            return TypedBuffer(buffer: state.outgoing.count - 1, dtype: dtype, shape: shape)
        }
    }

    public func attach(_ values: [Float], shape: [Int]) -> TypedBuffer {
        attach(LittleEndianArrays.data(values), dtype: .float32, shape: shape)
    }

    public func attach(_ values: [Int32], shape: [Int]) -> TypedBuffer {
        attach(LittleEndianArrays.data(values), dtype: .int32, shape: shape)
    }

    /// The reply's buffers, in the order they were attached.
    var outgoing: [Data] { state.withLock { $0.outgoing } }

    /// The indexes of received buffers no handler read.
    var unread: [Int] {
        let read = state.withLock { $0.read }
        return received.indices.filter { read[$0] == nil }
    }

    private static func byteCount(_ count: Int, field: String) throws(RPCError) -> Int {
        let (bytes, overflow) = count.multipliedReportingOverflow(by: 4)
        guard count >= 0, !overflow else {
            throw RPCError.invalidParams("'\(field)' would hold \(count) values, which is not a size a buffer can have.", field: field)
        }
        return bytes
    }
}
