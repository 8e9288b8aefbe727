import Testing
@testable import WebhookAuth

@Suite struct PrimitivesTests {
    @Test func hmacMatchesRFC4231Case2() {
        let mac = HMACSHA256.mac(key: bytes("Jefe"), message: bytes("what do ya want for nothing?"))
        #expect(Hex.encode(mac) == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    @Test func hmacAcceptsEmptyKeyAndMessage() {
        // Python: hmac.new(b'', b'', sha256).hexdigest()
        #expect(Hex.encode(HMACSHA256.mac(key: [UInt8](), message: [UInt8]()))
            == "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad")
    }

    @Test func hmacAcceptsAnyByteCollection() {
        let body = bytes("xxHello, World!xx")
        let slice = body[2..<15]
        #expect(HMACSHA256.mac(key: bytes("k"), message: slice) == HMACSHA256.mac(key: bytes("k"), message: bytes("Hello, World!")))
    }

    @Test func sha256KnownValues() {
        #expect(SHA256.hex([UInt8]()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(bytes("abc")) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hash(bytes("abc")).count == 32)
    }

    @Test func constantTimeEquals() {
        #expect(ConstantTime.equals([], []))
        #expect(ConstantTime.equals([1, 2, 3], [1, 2, 3]))
        #expect(!ConstantTime.equals([1, 2, 3], [1, 2, 4]))
        #expect(!ConstantTime.equals([1, 2, 3], [1, 2]))
        #expect(!ConstantTime.equals([], [0]))
    }

    @Test func base64RoundTripsAndKnownValues() {
        #expect(Base64.encode(bytes("")) == "")
        #expect(Base64.encode(bytes("f")) == "Zg==")
        #expect(Base64.encode(bytes("fo")) == "Zm8=")
        #expect(Base64.encode(bytes("foo")) == "Zm9v")
        #expect(Base64.encode(bytes("foobar")) == "Zm9vYmFy")
        #expect(Base64.encode([0xFB, 0xFF]) == "+/8=")
        for text in ["", "f", "fo", "foo", "foob", "fooba", "foobar"] {
            #expect(Base64.decode(Base64.encode(bytes(text))) == bytes(text))
        }
        #expect(Base64.decode("+/8=") == [0xFB, 0xFF])
    }

    @Test(arguments: [
        "Zg", "Zg=", "Zm9", "Z===", "Zh==", "Zm9=", "Zm-v", "Zm_v", "Zm9v\n", " Zm9v", "Zm 9v", "Zg==Zg==", "====", "Zm9v=",
    ])
    func base64RejectsNonStrictText(_ text: String) {
        #expect(Base64.decode(text) == nil)
    }

    @Test func hexEncodesLowerCaseAndDecodesStrictly() {
        #expect(Hex.encode([0x00, 0xAB, 0xFF]) == "00abff")
        #expect(Hex.decode("00abff") == [0x00, 0xAB, 0xFF])
        #expect(Hex.decode("00ABFF") == [0x00, 0xAB, 0xFF])
        #expect(Hex.decode("") == [])
        #expect(Hex.decode("abc") == nil)
        #expect(Hex.decode("zz") == nil)
        #expect(Hex.decode("0x00") == nil)
        #expect(Hex.decode(" 00") == nil)
    }

    @Test func secureRandomGivesRequestedLengthAndVaries() throws {
        #expect(try SecureRandom.bytes(0) == [])
        let a = try SecureRandom.bytes(32)
        let b = try SecureRandom.bytes(32)
        #expect(a.count == 32)
        #expect(a != b)
    }
}
