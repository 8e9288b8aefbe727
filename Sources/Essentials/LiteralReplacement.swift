extension String {
    /// Replaces every occurrence of `target`'s exact UTF-8 bytes, left to right and without overlaps.
    ///
    /// Why: Foundation's `replacingOccurrences(of:with:)` is not in FoundationEssentials, and the standard
    /// library's `replacing(_:with:)` matches whole characters, so it would not find "\n" inside "\r\n".
    /// For the ASCII patterns and texts this is used on the result is Foundation's; Foundation also
    /// matches canonically equivalent spellings and skips a match followed by a combining mark, which a
    /// byte match does not (an escape or a redaction should not depend on the next character anyway).
    public func replacingLiteral(_ target: String, with replacement: String) -> String {
        let pattern = Array(target.utf8)
        guard !pattern.isEmpty, utf8.count >= pattern.count else { return self }
        let bytes = Array(utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = 0
        var replaced = false
        while index < bytes.count {
            if bytes[index] == pattern[0], index + pattern.count <= bytes.count,
               bytes[index ..< index + pattern.count].elementsEqual(pattern) {
                out.append(contentsOf: replacement.utf8)
                index += pattern.count
                replaced = true
            } else {
                out.append(bytes[index])
                index += 1
            }
        }
        return replaced ? String(decoding: out, as: UTF8.self) : self
    }
}
