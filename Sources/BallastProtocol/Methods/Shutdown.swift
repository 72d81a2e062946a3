/// `shutdown`: on the request socket, LSP's meaning: answer, then take no more work until `exit`.
/// On the control socket, the administrator's meaning: answer, finish what is in flight, and stop.
public enum Shutdown: RequestMethod {
    public static let method = "shutdown"
    public typealias Params = NoParams
    public typealias Result = NullResult
}

/// `exit` (notification): ends the daemon; exit status 0 after `shutdown`, 1 without it (LSP).
public enum Exit: NotificationMethod {
    public static let method = "exit"
    public typealias Params = NoParams
}
