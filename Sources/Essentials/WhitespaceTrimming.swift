extension StringProtocol {
    /// The text without leading and trailing spaces and tabs: what Foundation's
    /// `trimmingCharacters(in: .whitespaces)` removes (Unicode general category Zs, U+0009 and U+200B).
    ///
    /// Why: `trimmingCharacters(in:)` and `CharacterSet` are not in FoundationEssentials. Like Foundation,
    /// this trims Unicode scalars, not characters: a space before a combining mark is removed.
    public func trimmingWhitespace() -> String {
        trimmingScalars(where: WhitespaceTrimming.isWhitespace)
    }

    /// The text without leading and trailing whitespace and line breaks: what Foundation's
    /// `trimmingCharacters(in: .whitespacesAndNewlines)` removes (those and U+000A…U+000D, U+0085, U+2028,
    /// U+2029).
    public func trimmingWhitespaceAndNewlines() -> String {
        trimmingScalars(where: WhitespaceTrimming.isWhitespaceOrNewline)
    }

    private func trimmingScalars(where trimmed: (Unicode.Scalar) -> Bool) -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !trimmed($0) }),
              let last = scalars.lastIndex(where: { !trimmed($0) }) else { return "" }
        var kept = String.UnicodeScalarView()
        kept.append(contentsOf: scalars[first...last])
        return String(kept)
    }
}

/// The scalar sets of `trimmingWhitespace()` and `trimmingWhitespaceAndNewlines()`.
enum WhitespaceTrimming {
    /// Unicode general category Zs (space separators, unchanged since Unicode 6.3), the tab, and the zero
    /// width space (Zs in early Unicode, and still in Foundation's set).
    static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x20, 0xA0, 0x1680, 0x2000 ... 0x200B, 0x202F, 0x205F, 0x3000: return true
        default: return false
        }
    }

    /// `isWhitespace`, line feed, vertical tab, form feed, carriage return, next line, and the line and
    /// paragraph separators.
    static func isWhitespaceOrNewline(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x0A ... 0x0D, 0x85, 0x2028, 0x2029: return true
        default: return isWhitespace(scalar)
        }
    }
}
