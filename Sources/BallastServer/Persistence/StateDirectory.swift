import Foundation

/// Where a daemon keeps its workspace (the store, `ballast.sqlite`, and the dataset files beside
/// it) unless `--state-dir` or `--ephemeral` says otherwise.
public enum StateDirectory {
    /// `$BALLAST_STATE_DIR`, else `$XDG_STATE_HOME/ballast`, else `~/.local/state/ballast`.
    public static var defaultPath: String {
        let environment = ProcessInfo.processInfo.environment
        if let explicit = environment["BALLAST_STATE_DIR"], !explicit.isEmpty { return explicit }
        let state = environment["XDG_STATE_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? (NSHomeDirectory() + "/.local/state")
        return state + "/ballast"
    }
}
