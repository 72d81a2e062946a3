#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How many threads a training may use, asked again at the start of every pass over the data
/// (each L-BFGS evaluation, each mini-batch, each prediction), so a caller that shares the cores
/// among several trainings can hand a running one more or fewer threads as others start and end.
///
/// The count changes only the speed, never the result: every pass cuts its rows into chunks that
/// depend on the row count alone and adds the chunks' sums in chunk order.
public struct ThreadBudget: Sendable {
    private let provider: @Sendable () -> Int

    /// A budget whose count is `provider()` at the start of each pass (values below 1 count as 1).
    public init(_ provider: @escaping @Sendable () -> Int) {
        self.provider = provider
    }

    /// The threads the next pass may use, at least 1.
    public var current: Int { max(1, provider()) }

    /// Always `count` threads (at least 1).
    public static func fixed(_ count: Int) -> ThreadBudget {
        ThreadBudget { count }
    }

    /// Every online core: for a training that has the machine to itself.
    public static let allCores: ThreadBudget = .fixed(onlineCores)

    public static let onlineCores = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
}
