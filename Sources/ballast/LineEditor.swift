import CEditLine
import Foundation

/// What completes the word under the cursor: given the line up to the cursor and the word's
/// start offset, the candidates for that word.
/// nil means: complete file names (libedit's own completion).
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

    /// The next line, or nil at end of input (Ctrl-D).
    func read(prompt: String) -> String? {
        guard let raw = readline(prompt) else { return nil }
        defer { free(raw) }
        let line = String(cString: raw)
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        if !trimmed.isEmpty {
            add_history(line)
            if let historyPath { _ = write_history(historyPath) }
        }
        return line
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
