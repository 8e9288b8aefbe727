extension StringProtocol {
    /// True when both texts have the same bytes once ASCII letters are lower-cased: how HTTP compares
    /// header field names.
    ///
    /// Why: Foundation's `caseInsensitiveCompare` is not in FoundationEssentials. It also folds non-ASCII
    /// letters (`ſ` matches `s`); header names are ASCII tokens, and a non-ASCII name should not match one.
    public func equalsIgnoringASCIICase<Other: StringProtocol>(_ other: Other) -> Bool {
        guard utf8.count == other.utf8.count else { return false }
        return zip(utf8, other.utf8).allSatisfy { ASCIICase.lower($0) == ASCIICase.lower($1) }
    }
}

/// ASCII case mapping of single bytes.
enum ASCIICase {
    static func lower(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte
    }
}
