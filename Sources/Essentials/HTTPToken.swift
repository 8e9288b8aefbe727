/// RFC 9110 `token` characters (`tchar`): what HTTP methods and field names are made of. Shared by the
/// listener's parser and serializer and the outbound client, which must agree on what may go on the wire.
public enum HTTPToken {
    private static let table: [Bool] = {
        var table = [Bool](repeating: false, count: 256)
        for byte in UInt8(ascii: "0")...UInt8(ascii: "9") { table[Int(byte)] = true }
        for byte in UInt8(ascii: "a")...UInt8(ascii: "z") { table[Int(byte)] = true }
        for byte in UInt8(ascii: "A")...UInt8(ascii: "Z") { table[Int(byte)] = true }
        for byte in "!#$%&'*+-.^_`|~".utf8 { table[Int(byte)] = true }
        return table
    }()

    /// One `tchar`.
    public static func isTokenByte(_ byte: UInt8) -> Bool { table[Int(byte)] }

    /// `1*tchar`.
    public static func isToken(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy(isTokenByte)
    }
}
