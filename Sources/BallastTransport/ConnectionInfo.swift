import BallastProtocol
import Foundation

/// The connection file: where a daemon listens and the key that signs its messages.
///
/// Written atomically, mode 0600, into a folder of this user's that nobody else may write in; read
/// only when it is a plain file of this user's that nobody else may read or write: whoever can read
/// it can drive the daemon, and whoever can write it can capture what clients send.
public struct ConnectionInfo: Codable, Sendable, Equatable {
    public var transport: String
    public var ip: String
    public var requestPort: Int
    public var controlPort: Int
    public var eventPort: Int
    public var key: String
    public var signatureScheme: String
    public var pid: Int32?
    public var protocolVersion: String?

    public init(transport: String = "tcp", ip: String = "127.0.0.1", requestPort: Int = 0, controlPort: Int = 0,
                eventPort: Int = 0, key: String = MessageSigner.randomKey(), signatureScheme: String = "hmac-sha256",
                pid: Int32? = nil, protocolVersion: String? = nil) {
        self.transport = transport
        self.ip = ip
        self.requestPort = requestPort
        self.controlPort = controlPort
        self.eventPort = eventPort
        self.key = key
        self.signatureScheme = signatureScheme
        self.pid = pid
        self.protocolVersion = protocolVersion
    }

    enum CodingKeys: String, CodingKey {
        case transport, ip, key, pid
        case requestPort = "request_port"
        case controlPort = "control_port"
        case eventPort = "event_port"
        case signatureScheme = "signature_scheme"
        case protocolVersion = "protocol_version"
    }

    public func endpoint(port: Int) -> String {
        ip.contains(":") ? "\(transport)://[\(ip)]:\(port)" : "\(transport)://\(ip):\(port)"
    }
    public var requestEndpoint: String { endpoint(port: requestPort) }
    public var controlEndpoint: String { endpoint(port: controlPort) }
    public var eventEndpoint: String { endpoint(port: eventPort) }

    public var signer: MessageSigner { MessageSigner(key: key) }

    // MARK: Files

    public enum FileError: Error, CustomStringConvertible {
        case unreadable(path: String, reason: String)
        case invalid(path: String, reason: String)
        case unwritable(path: String, reason: String)
        /// Not read, because someone other than its owner could have planted it or read it.
        case untrusted(path: String, reason: String)

        public var description: String {
            switch self {
            case let .untrusted(path, reason): "Refusing the connection file \(path): \(reason)"
            case let .unreadable(path, reason): "Cannot read the connection file \(path): \(reason)"
            case let .invalid(path, reason): "The connection file \(path) is not valid: \(reason)"
            case let .unwritable(path, reason): "Cannot write the connection file \(path): \(reason)"
            }
        }
    }

    /// Reads and checks the file; refuses it (`FileError.untrusted`) when it is a symbolic link,
    /// not this user's, or readable or writable by group or others.
    public static func read(from path: String) throws -> ConnectionInfo {
        let data: Data
        do { data = try PrivateFile.read(path) } catch {
            switch error {
            case .unreadable(let reason): throw FileError.unreadable(path: path, reason: reason)
            case .untrusted(let reason): throw FileError.untrusted(path: path, reason: reason)
            }
        }
        do {
            let info = try JSONDecoder().decode(ConnectionInfo.self, from: data)
            guard info.signatureScheme == "hmac-sha256" else {
                throw FileError.invalid(path: path, reason: "signature_scheme must be hmac-sha256, not \(info.signatureScheme)")
            }
            guard info.transport == "tcp" else {
                throw FileError.invalid(path: path, reason: "transport must be tcp, not \(info.transport)")
            }
            guard !info.key.isEmpty else { throw FileError.invalid(path: path, reason: "the key is empty") }
            return info
        } catch let error as FileError {
            throw error
        } catch {
            throw FileError.invalid(path: path, reason: "\(error)")
        }
    }

    /// Writes the file atomically with mode 0600 (see `AtomicFile`), creating its folder with
    /// mode 0700 when missing; refuses a folder that is a link, not this user's, or writable by others.
    public func write(to path: String) throws {
        let folder = FolderAndName(path).folder
        let manager = FileManager.default
        let bytes: [UInt8]
        do {
            if !manager.fileExists(atPath: folder) {
                try manager.createDirectory(atPath: folder, withIntermediateDirectories: true,
                                            attributes: [.posixPermissions: 0o700])
            }
            bytes = JSONWriter.data(try JSONValue(encoding: self), pretty: true) + [UInt8(ascii: "\n")]
        } catch {
            throw FileError.unwritable(path: path, reason: "\(error)")
        }
        do {
            try AtomicFile.write(bytes, to: path, mode: 0o600, folderPolicy: .privateToOwner)
        } catch {
            throw FileError.unwritable(path: path, reason: error.reason)
        }
    }

    /// Where a daemon started without `--connection-file` writes, and where clients look:
    /// `$BALLAST_CONNECTION_FILE`, else `$XDG_RUNTIME_DIR/ballast/ballastd.json`, else
    /// `~/.local/state/ballast/ballastd.json`.
    public static var defaultPath: String {
        let environment = ProcessInfo.processInfo.environment
        if let explicit = environment["BALLAST_CONNECTION_FILE"], !explicit.isEmpty { return explicit }
        if let runtime = environment["XDG_RUNTIME_DIR"], !runtime.isEmpty,
           FileManager.default.isWritableFile(atPath: runtime) {
            return runtime + "/ballast/ballastd.json"
        }
        let state = environment["XDG_STATE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (NSHomeDirectory() + "/.local/state")
        return state + "/ballast/ballastd.json"
    }
}
