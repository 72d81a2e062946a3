/// Where a run stands. `interrupted` is given only at a daemon's start, to the runs that were
/// `running` when the previous daemon stopped without finishing them (crash, kill -9, reboot).
public enum RunStatusName: String, WireName {
    case running, completed, cancelled, failed, interrupted
    public static let kind = "run status"
    public static let kinds = "run statuses"
}

/// The order `run/list` returns runs in.
public enum SortOrderName: String, WireName {
    case ascending = "asc"
    case descending = "desc"
    public static let kind = "sort order"
}
