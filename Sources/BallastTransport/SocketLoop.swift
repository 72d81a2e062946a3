import Foundation
import Synchronization
import ZeroMQ

/// One thread that owns a set of sockets: it receives from them and sends what other threads
/// queue for them. Nothing else ever touches these sockets, so no socket is shared across threads.
///
/// Other threads call `send(_:on:)`, which queues the frames and wakes the loop through a
/// self-pipe that is polled beside the sockets.
///
/// - Important: a turn reads at most `messagesPerTurn` messages from each socket, then sends what
///   is queued, so a peer that floods one socket cannot hold back replies and events. What is left
///   unread is still readable at the next poll (libzmq's poll is level-triggered).
final class SocketLoop: @unchecked Sendable {
    // @unchecked: `sockets` is handed over at init and from then on touched only by the loop
    // thread (`run`), or by `send` when it runs on that thread; everything else that is shared
    // sits behind a Mutex or an Atomic, or is immutable.
    /// `source` is the file descriptor of the connection the message came on (-1 when unknown).
    typealias Receiver = @Sendable (_ socketIndex: Int, _ frames: [Data], _ source: Int32) -> Void
    typealias FailureLog = @Sendable (_ message: String) -> Void

    let name: String
    let messagesPerTurn: Int
    private let sockets: [Socket]
    private let log: FailureLog
    private let wakeup: Wakeup
    private let outbox = Mutex<[(Int, [Data])]>([])
    private let stopRequested = Atomic<Bool>(false)
    private let stopped = DispatchSemaphore(value: 0)
    private let started = Atomic<Bool>(false)
    /// The loop thread's pthread id, so a send from the loop itself skips the queue and the wake-up.
    private let loopThread = Atomic<UInt>(0)

    /// Takes the sockets over: from here on only the loop uses them, and it closes them when it
    /// ends (or `stop` does, when the loop never started).
    /// Messages sent before `start` wait in the queue and go out on the loop's first turn.
    init(name: String, sockets: [Socket], messagesPerTurn: Int = 64, log: @escaping FailureLog) throws(TransportError) {
        precondition(messagesPerTurn > 0, "a turn must read at least one message")
        self.name = name
        self.sockets = sockets
        self.messagesPerTurn = messagesPerTurn
        self.log = log
        self.wakeup = try transporting { () throws(ZMQError) in try Wakeup() }
    }

    /// Starts the loop thread, which hands every message it receives to `receiver`. Only the first call counts.
    func start(receiver: @escaping Receiver) {
        guard started.compareExchange(expected: false, desired: true, ordering: .sequentiallyConsistent).exchanged else { return }
        let thread = Thread { [self] in run(receiver) }
        thread.name = "ballast.\(name)"
        thread.start()
    }

    /// Sends a message on the socket at `index`. Callable from any thread: the loop thread sends
    /// at once; other threads queue the message and wake the loop.
    func send(_ frames: [Data], on index: Int) {
        if UInt(pthread_self()) == loopThread.load(ordering: .relaxed) {
            transmit(frames, on: index)
            return
        }
        outbox.withLock { $0.append((index, frames)) }
        wakeup.signal()
    }

    /// Asks the loop to send what is queued, close its sockets and end. Returns at once.
    func stop() {
        stopRequested.store(true, ordering: .sequentiallyConsistent)
        // A loop that never started still owns its sockets: close them here, and keep it from starting.
        if started.compareExchange(expected: false, desired: true, ordering: .sequentiallyConsistent).exchanged {
            for socket in sockets { socket.close() }
            stopped.signal()
            return
        }
        wakeup.signal()
    }

    /// Blocks until the loop has closed its sockets (at once when it was neither started nor stopped).
    func waitUntilStopped() {
        guard started.load(ordering: .sequentiallyConsistent) else { return }
        stopped.wait()
        stopped.signal()
    }

    private func run(_ receiver: Receiver) {
        loopThread.store(UInt(pthread_self()), ordering: .relaxed)
        let poller = Poller(sockets.map { .socket($0) } + [.fileDescriptor(wakeup.fileDescriptor)])
        while !stopRequested.load(ordering: .sequentiallyConsistent) {
            do {
                let readable = try poller.poll(timeoutMilliseconds: 1000)
                if readable.last == true { wakeup.drain() }
                flushOutbox()
                for (index, socket) in sockets.enumerated() where readable[index] {
                    var taken = 0
                    while taken < messagesPerTurn, let received = try socket.receiveWithSource(dontWait: true) {
                        taken += 1
                        receiver(index, received.frames, received.source)
                    }
                }
                flushOutbox()
            } catch {
                if error.isTermination { break }
                log("The \(name) socket loop hit an error and keeps going: \(error)")
            }
        }
        flushOutbox()
        for socket in sockets { socket.close() }
        stopped.signal()
    }

    private func flushOutbox() {
        let pending = outbox.withLock { queue in
            let taken = queue
            queue.removeAll(keepingCapacity: true)
            return taken
        }
        for (index, frames) in pending { transmit(frames, on: index) }
    }

    private func transmit(_ frames: [Data], on index: Int) {
        do {
            try sockets[index].send(frames)
        } catch where error.errno == EHOSTUNREACH {
            log("A reply was dropped because its client (\(name) socket) has disconnected.")
        } catch {
            log("A message on the \(name) socket could not be sent: \(error)")
        }
    }
}
