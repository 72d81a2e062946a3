/// How long a client may be asked to wait: a finite number of seconds above zero. NaN, infinity,
/// zero and negative numbers are refused before anything is sent, since none is a time to wait for
/// (NaN would never compare as passed, and the socket's receive timeout cannot hold it).
public enum WaitLimit {
    /// Nil when `seconds` is a time to wait, else the sentence that says why not.
    public static func problem(_ seconds: Double, named name: String = "timeout") -> String? {
        seconds.isFinite && seconds > 0 ? nil
            : "The \(name) must be a finite number of seconds above 0, like 30 or 2.5, not \(seconds)."
    }

    /// Throws `.badArgument` unless `seconds` is nil (no limit) or a time to wait.
    public static func check(_ seconds: Double?, named name: String = "timeout") throws(ClientError) {
        if let seconds, let problem = problem(seconds, named: name) { throw .badArgument(problem) }
    }
}
