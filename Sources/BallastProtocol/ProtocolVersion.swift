/// The protocol version this build speaks. Minor versions add methods or optional fields;
/// a major version changes or removes something (protocol/README.md, "Versioning").
public enum ProtocolVersion {
    public static let current = "1.10"
    public static let major = 1
    public static let serverVersion = "0.1.0"
}
