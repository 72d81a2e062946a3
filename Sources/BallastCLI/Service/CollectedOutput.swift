/// A session's text kept for its caller instead of printed: what one command wrote, taken by
/// `repl/execute` as the command's `text`.
///
/// - Important: written and taken on the session's thread only, like the session itself.
public final class CollectedOutput: SessionOutput {
    private var text = ""

    public init() {}

    public func write(_ text: String) { self.text += text }

    public func error(_ line: String) { text += line + "\n" }

    /// Everything written since the last take, without its final line break.
    public func take() -> String {
        defer { text = "" }
        return text.hasSuffix("\n") ? String(text.dropLast()) : text
    }
}
