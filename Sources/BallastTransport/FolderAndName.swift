/// A path cut at its last slash into the folder that holds the entry and the entry's own name:
/// the one way every file writer here splits a path.
///
/// `/a/b/c.json` → (`/a/b`, `c.json`); `/c.json` → (`/`, `c.json`); `c.json` → (`.`, `c.json`);
/// `/a/b/` → (`/a/b`, ``): an empty name, which names no file.
public struct FolderAndName: Sendable, Equatable {
    public let folder: String
    public let name: String

    public init(_ path: String) {
        guard let slash = path.lastIndex(of: "/") else {
            folder = "."
            name = path
            return
        }
        let before = String(path[..<slash])
        folder = before.isEmpty ? "/" : before
        name = String(path[path.index(after: slash)...])
    }

    /// The path again, `folder` + `/` + `name`, without doubling the root's slash.
    public var path: String { folder == "/" ? "/" + name : folder + "/" + name }

    /// Whether `name` names one entry inside a folder: not empty, not `.` or `..`, and no slash
    /// (an `openat` of `a/b` would go through `a`).
    public static func isEntryName(_ name: String) -> Bool {
        !name.isEmpty && name != "." && name != ".." && !name.contains("/")
    }
}
