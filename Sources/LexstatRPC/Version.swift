/// The Lexstat version, reported by `--version` and Health.
public enum LexstatVersion {
    public static let string = "0.1.0"
}
