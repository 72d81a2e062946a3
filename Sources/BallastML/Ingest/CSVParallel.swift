import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Running chunks of a load on several threads: the pieces the loader shares.

struct SendableBox<T>: @unchecked Sendable { var value: T }

func parallelFor(_ count: Int, threads: Int, _ body: (Int) -> Void) {
    if count <= 0 { return }
    let workers = min(threads, count)
    if workers <= 1 {
        for i in 0..<count { body(i) }
        return
    }
    withoutActuallyEscaping(body) { escapable in
        let box = SendableBox(value: escapable)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var i = worker
            while i < count { box.value(i); i += workers }
        }
    }
}

func coreCount() -> Int {
    let n = sysconf(Int32(_SC_NPROCESSORS_ONLN))
    return n > 0 ? n : 1
}
