import Testing
@testable import Essentials

/// Object keys compare by their UTF-8 bytes (RFC 8259 §8.3), as every other JSON reader compares them, not
/// by Swift's canonical equivalence: "\u{212A}" (KELVIN SIGN) and "K" are two different keys.
@Suite struct JSONKeyBytesTests {
    static let kelvin = "\u{212A}"

    @Test func equalityIsByteEquality() {
        #expect("maxPowerInKiloWatts".hasSameUTF8(as: "maxPowerInKiloWatts"))
        #expect(!"maxPowerIn\(Self.kelvin)iloWatts".hasSameUTF8(as: "maxPowerInKiloWatts"))
        #expect("maxPowerIn\(Self.kelvin)iloWatts" == "maxPowerInKiloWatts")  // what `==` would have said
        #expect(!"e\u{301}".hasSameUTF8(as: "\u{E9}"))
        #expect(!"ab".hasSameUTF8(as: "abc"))
        #expect(!"ab".hasSameUTF8(as: "ac"))
        #expect("".hasSameUTF8(as: ""))
        let long = String(repeating: "key-", count: 20)  // a heap string, not a small one
        #expect((long + "x").hasSameUTF8(as: long + "x"))
        #expect(!(long + "x").hasSameUTF8(as: long + "y"))
    }

    @Test func lookUpFindsOnlyTheSameBytes() throws {
        let json = try JSON.parse(#"{"\#(Self.kelvin)":1,"K":2}"#)
        #expect(json["K"] == .number("2"))
        #expect(json[Self.kelvin] == .number("1"))
        let only = try JSON.parse(#"{"\#(Self.kelvin)ind":1}"#)
        #expect(only["Kind"] == nil)
    }

    @Test(arguments: [2, 20])
    func duplicatesAreTheSameBytesInSmallAndLargeObjects(members: Int) throws {
        let filler = (0 ..< members).map { #""f\#($0)":0"# }.joined(separator: ",")
        #expect(throws: JSONParser.Error.self) { try JSON.parse(#"{\#(filler),"K":1,"K":2}"#) }
        let distinct = try JSON.parse(#"{\#(filler),"K":1,"\#(Self.kelvin)":2,"e\#u{301}":3,"\#u{E9}":4}"#)
        #expect(distinct.objectValue?.count == members + 4)
    }

    @Test func configKeysCompareTheSameWay() throws {
        var object = try ConfigObject(JSON.parse(#"{"\#(Self.kelvin)eep":1}"#), path: "store")
        #expect(try object.int("Keep") == nil)
        #expect(!object.has("Keep"))
        #expect(throws: ConfigError(path: "store.\(Self.kelvin)eep", message: "unknown key")) { try object.finish() }
    }
}
