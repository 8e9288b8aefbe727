extension String {
    /// The text cut or padded with spaces to exactly `length` UTF-16 code units: what Foundation's
    /// `padding(toLength: length, withPad: " ", startingAt: 0)` gives, for the CLI's text columns.
    ///
    /// Why: `padding(toLength:withPad:startingAt:)` is not in FoundationEssentials. It counts UTF-16 code
    /// units, not characters, so this does too (a cut through a surrogate pair leaves U+FFFD, as there).
    public func padded(toLength length: Int) -> String {
        let units = utf16.count
        if units == length { return self }
        if units > length { return String(decoding: utf16.prefix(max(0, length)), as: UTF16.self) }
        return self + String(repeating: " ", count: length - units)
    }
}
