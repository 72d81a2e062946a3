import CEditLine
import Foundation

// libedit calls back through C function pointers, which capture nothing, so what the callbacks
// share with `LineEditor` is global. Only the main thread touches it: libedit runs its callbacks
// inside `rl_callback_read_char` and the completion hook, both called from `read` on that thread.
// That is what makes `nonisolated(unsafe)` sound here.

/// The line libedit handed over, and whether it has.
nonisolated(unsafe) private var pendingLine: String?
nonisolated(unsafe) private var lineDone = false
/// What completes the word under the cursor: given the line before the word and the word, the
/// candidates; nil means complete file names (libedit's own completion).
nonisolated(unsafe) private var completionSource: ((_ line: String, _ word: String) -> [String]?)?

/// Line editing through libedit (BSD editline, readline-compatible API): emacs keys, history
/// kept in a file across sessions, Tab completion from `completionSource`.
final class LineEditor {
    let historyPath: String?

    init(historyPath: String?, complete: @escaping (_ line: String, _ word: String) -> [String]?) {
        self.historyPath = historyPath
        completionSource = complete
        // Words break at blanks, '=' (so option values complete) and ';'.
        ballast_rl_setup("ballast", " \t\n=;") { text, start, end in
            let word = text.map { String(cString: $0) } ?? ""
            let line = ballast_rl_line_buffer().map { String(cString: $0) } ?? ""
            let prefix = String(line.utf8.prefix(Int(start))) ?? ""
            guard let offered = completionSource?(prefix, word) else {
                ballast_rl_completion_over(0)
                ballast_rl_append_character(32)
                return nil
            }
            ballast_rl_completion_over(1)
            let candidates = Array(Set(offered.filter { $0.hasPrefix(word) })).sorted()
            if candidates.isEmpty { return nil }
            // Options end with '=' and take their value next: no space after them.
            ballast_rl_append_character(candidates.count == 1 && candidates[0].hasSuffix("=") ? 0 : 32)
            return LineEditor.matchArray(candidates)
        }
        stifle_history(2000)
        if let historyPath {
            let folder = (historyPath as NSString).deletingLastPathComponent
            try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true,
                                                     attributes: [.posixPermissions: 0o700])
            _ = read_history(historyPath)
        }
    }

    /// readline's match array: the common prefix, then each match, then NULL; malloc'd, freed by libedit.
    private static func matchArray(_ candidates: [String]) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
        var common = candidates[0]
        for c in candidates.dropFirst() {
            while !c.hasPrefix(common) { common.removeLast() }
        }
        let entries = candidates.count == 1 ? candidates : [common] + candidates
        // libedit frees the array and its strings with free(): allocate with malloc.
        let raw = malloc(MemoryLayout<UnsafeMutablePointer<CChar>?>.stride * (entries.count + 1))!
        let matches = raw.bindMemory(to: UnsafeMutablePointer<CChar>?.self, capacity: entries.count + 1)
        for (i, entry) in entries.enumerated() { matches[i] = strdup(entry) }
        matches[entries.count] = nil
        return matches
    }

    /// The next line, or nil at end of input (Ctrl-D). Ctrl-C drops the line being typed and
    /// gives an empty one.
    ///
    /// Uses readline's callback interface under a `poll` of the terminal and of `wake` (written
    /// on Ctrl-C): libedit's blocking `readline` retries its read after a signal, so a Ctrl-C
    /// would only be seen at the next key.
    func read(prompt: String, wake: Int32) -> String? {
        pendingLine = nil
        lineDone = false
        drain(wake)
        rl_callback_handler_install(prompt) { line in
            pendingLine = line.map { String(cString: $0) }
            free(line)
            lineDone = true
            rl_callback_handler_remove()
        }
        while !lineDone {
            var fds = [pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: wake, events: Int16(POLLIN), revents: 0)]
            let ready = poll(&fds, 2, -1)
            if ready < 0 && errno != EINTR { break }
            if fds[1].revents & Int16(POLLIN) != 0 {
                drain(wake)
                rl_callback_handler_remove()
                FileHandle.standardOutput.write(Data("^C\n".utf8))
                return ""
            }
            if fds[0].revents & Int16(POLLIN | POLLHUP) != 0 { rl_callback_read_char() }
        }
        guard let line = pendingLine else { return nil }
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        if !trimmed.isEmpty {
            add_history(line)
            if let historyPath { _ = write_history(historyPath) }
        }
        return line
    }

    private func drain(_ fd: Int32) {
        let flags = fcntl(fd, F_GETFL)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
        var buffer = [UInt8](repeating: 0, count: 64)
        while Foundation.read(fd, &buffer, buffer.count) > 0 {}
    }

    /// Where history lives: `$BALLAST_HISTORY`, else `$XDG_STATE_HOME/ballast/history`, else
    /// `~/.local/state/ballast/history`.
    static var defaultHistoryPath: String {
        let env = ProcessInfo.processInfo.environment
        if let path = env["BALLAST_HISTORY"], !path.isEmpty { return path }
        if let state = env["XDG_STATE_HOME"], !state.isEmpty { return state + "/ballast/history" }
        return (env["HOME"] ?? NSHomeDirectory()) + "/.local/state/ballast/history"
    }
}
