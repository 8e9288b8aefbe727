import Foundation
import Testing
import Essentials
@testable import WebhookAuth

/// Standard Webhooks: every case of Fixtures/standard-webhooks.json (official and derived).
@Suite struct StandardWebhooksSchemeTests {
    struct Vector {
        let secret: String
        let id: String
        let timestamp: Int
        let payload: [UInt8]
        let signature: String
    }

    static func document() throws -> JSON { try Fixture.json("standard-webhooks.json") }

    static func vector() throws -> Vector {
        let sign = try #require(try document()["official"]?["sign"])
        return Vector(
            secret: try #require(sign["secret"]?.stringValue),
            id: try #require(sign["webhook_id"]?.stringValue),
            timestamp: try #require(sign["webhook_timestamp"]?.intValue),
            payload: bytes(try #require(sign["payload"]?.stringValue)),
            signature: try #require(sign["expected_webhook_signature"]?.stringValue))
    }

    func headers(_ v: Vector, signature: String? = nil, id: String? = nil, timestamp: String? = nil,
                 prefix: String = "webhook") -> (String) -> String? {
        headerLookup([
            "\(prefix)-id": id ?? v.id,
            "\(prefix)-timestamp": timestamp ?? String(v.timestamp),
            "\(prefix)-signature": signature ?? v.signature,
        ])
    }

    func at(_ seconds: Double) -> Date { Date(timeIntervalSince1970: seconds) }

    // MARK: official sign vector

    @Test func signerReproducesOfficialSignature() throws {
        let v = try Self.vector()
        #expect(v.payload.count == 20)
        let out = try WebhookSigner.headers(scheme: .standardWebhooks, secret: v.secret, body: v.payload,
                                            id: v.id, timestamp: v.timestamp)
        let derived = try #require(try Self.document()["derived"]?["headers_for_sign_vector"]?.objectValue)
        #expect(out.map(\.name) == derived.map(\.0))
        #expect(out.map(\.value) == derived.map { $0.1.stringValue ?? "" })
        #expect(out.last?.value == v.signature)
    }

    @Test func officialVectorVerifiesWithDeliveryId() throws {
        let v = try Self.vector()
        let verifier = try WebhookVerifier(scheme: .standardWebhooks, secrets: [v.secret])
        #expect(verifier.verify(headers: headers(v), body: v.payload, now: at(Double(v.timestamp)))
            == .verified(secretIndex: 0, deliveryId: v.id))
    }

    @Test func acceptedSecretFormsVerifyTheSameMessage() throws {
        let v = try Self.vector()
        let forms = try #require(try Self.document()["official"]?["secret_forms"]?["accepted"]?.arrayValue)
        #expect(forms.count == 2)
        for form in forms {
            let secret = try #require(form.stringValue)
            let verifier = try WebhookVerifier(scheme: .standardWebhooks, secrets: [secret])
            #expect(verifier.verify(headers: headers(v), body: v.payload, now: at(Double(v.timestamp))).isVerified)
        }
    }

    @Test func rejectedSecretFormsFailAtConstruction() throws {
        let forms = try #require(try Self.document()["official"]?["secret_forms"]?["rejected"]?.arrayValue)
        #expect(forms.count == 2)
        for form in forms {
            let secret = try #require(form.stringValue)
            #expect(throws: WebhookAuthError.self) { try WebhookVerifier(scheme: .standardWebhooks, secrets: [secret]) }
            #expect(throws: WebhookAuthError.self) {
                try WebhookSigner.headers(scheme: .standardWebhooks, secret: secret, body: [], id: "a", timestamp: 1)
            }
        }
    }

    @Test func derivedDecodedKey() throws {
        let v = try Self.vector()
        let derived = try #require(try Self.document()["derived"])
        let key = try WebhookKey.bytes(scheme: .standardWebhooks, secret: v.secret, position: 1)
        #expect(Hex.encode(key) == derived["decoded_key_hex"]?.stringValue)
        #expect(key.count == derived["decoded_key_length"]?.intValue)
        let content = bytes("\(v.id).\(v.timestamp).") + v.payload
        #expect(content == bytes(try #require(derived["signed_content"]?.stringValue)))
        #expect("v1," + Base64.encode(HMACSHA256.mac(key: key, message: content)) == v.signature)
    }

    // MARK: official verify cases

    @Test func invalidSignatureIsInvalid() throws {
        let v = try Self.vector()
        let verifier = try WebhookVerifier(scheme: .standardWebhooks, secrets: [v.secret])
        let result = verifier.verify(headers: headers(v, signature: "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc="),
                                     body: v.payload, now: at(Double(v.timestamp)))
        #expect(result == .rejected(.signatureMismatch))
    }

    @Test func partialSignatureIsInvalid() throws {
        let v = try Self.vector()
        let verifier = try WebhookVerifier(scheme: .standardWebhooks, secrets: [v.secret])
        let result = verifier.verify(headers: headers(v, signature: "v1,"), body: v.payload, now: at(Double(v.timestamp)))
        #expect(result == .rejected(.malformedSignature))
    }

    @Test(arguments: ["webhook-id", "webhook-timestamp", "webhook-signature"])
    func missingHeaderIsRejected(_ dropped: String) throws {
        let v = try Self.vector()
        let verifier = try WebhookVerifier(scheme: .standardWebhooks, secrets: [v.secret])
        let all = headers(v)
        let lookup: (String) -> String? = { $0.lowercased() == dropped ? nil : all($0) }
        let result = verifier.verify(headers: lookup, body: v.payload, now: at(Double(v.timestamp)))
        #expect(result == .rejected(.missingSignature))
    }

    @Test func validMultiSignatureIsValid() throws {
        let v = try Self.vector()
        let doc = try Self.document()
        let entries = try #require(doc["official"]?["verify_cases"]?.arrayValue?
            .first(where: { $0["name"]?.stringValue == "valid multi sig is valid" })?["webhook_signature_entries"]?.arrayValue)
        let header = entries.compactMap(\.stringValue)
            .map { $0 == "<the valid v1 signature>" ? v.signature : $0 }
            .joined(separator: " ")
        #expect(header == doc["derived"]?["multi_signature_header_for_sign_vector"]?.stringValue)
        let verifier = try WebhookVerifier(scheme: .standardWebhooks, secrets: [v.secret])
        #expect(verifier.verify(headers: headers(v, signature: header), body: v.payload, now: at(Double(v.timestamp)))
            == .verified(secretIndex: 0, deliveryId: v.id))
    }

    @Test func oldTimestampFails() throws {
        // Upstream signs with now − 5 min and verifies a moment later.
        let v = try Self.vector()
        let verifier = try WebhookVerifier(scheme: .standardWebhooks, secrets: [v.secret])
        #expect(verifier.verify(headers: headers(v), body: v.payload, now: at(Double(v.timestamp) + 300.001))
            == .rejected(.staleTimestamp))
    }

    @Test func newTimestampFails() throws {
        let v = try Self.vector()
        let verifier = try WebhookVerifier(scheme: .standardWebhooks, secrets: [v.secret])
        #expect(verifier.verify(headers: headers(v), body: v.payload, now: at(Double(v.timestamp) - 301))
            == .rejected(.futureTimestamp))
    }

    @Test func oldAndNewTimestampsPassOnlyWhenIgnoringTolerance() throws {
        let v = try Self.vector()
        let verifier = try WebhookVerifier(scheme: .standardWebhooks, secrets: [v.secret])
        #expect(verifier.verifyIgnoringTimestamp(headers: headers(v), body: v.payload) == .verified(secretIndex: 0, deliveryId: v.id))
        for offset in [-86_400.0, 86_400.0] {
            #expect(!verifier.verify(headers: headers(v), body: v.payload, now: at(Double(v.timestamp) + offset)).isVerified)
        }
        // Ignoring the timestamp does not skip the signature.
        #expect(verifier.verifyIgnoringTimestamp(headers: headers(v), body: v.payload + [0x0A]) == .rejected(.signatureMismatch))
    }

    // MARK: derived cases

    @Test func derivedToleranceExamples() throws {
        let v = try Self.vector()
        let verifier = try WebhookVerifier(scheme: .standardWebhooks, secrets: [v.secret])
        let examples = try #require(try Self.document()["derived"]?["tolerance_examples"]?.arrayValue)
        #expect(examples.count == 4)
        for example in examples {
            let now = try #require(example["now"]?.intValue)
            let expect = try #require(example["expect"]?.stringValue)
            let result = verifier.verify(headers: headers(v), body: v.payload, now: at(Double(now)))
            switch expect {
            case "accept": #expect(result.isVerified)
            case "reject (too old)": #expect(result == .rejected(.staleTimestamp))
            case "reject (too new)": #expect(result == .rejected(.futureTimestamp))
            default: Issue.record("unknown expectation \(expect)")
            }
        }
    }

    @Test func toleranceEdgesAreInclusive() throws {
        let v = try Self.vector()
        let verifier = try WebhookVerifier(scheme: .standardWebhooks, secrets: [v.secret])
        let ts = Double(v.timestamp)
        #expect(verifier.verify(headers: headers(v), body: v.payload, now: at(ts + 300)).isVerified)
        #expect(verifier.verify(headers: headers(v), body: v.payload, now: at(ts - 300)).isVerified)
        #expect(verifier.verify(headers: headers(v), body: v.payload, now: at(ts + 301)) == .rejected(.staleTimestamp))
        #expect(verifier.verify(headers: headers(v), body: v.payload, now: at(ts - 301)) == .rejected(.futureTimestamp))
    }

    @Test func configurableTolerance() throws {
        let v = try Self.vector()
        let verifier = try WebhookVerifier(scheme: .standardWebhooks, secrets: [v.secret], tolerance: 600)
        #expect(verifier.verify(headers: headers(v), body: v.payload, now: at(Double(v.timestamp) + 599)).isVerified)
        #expect(throws: WebhookAuthError.self) { try WebhookVerifier(scheme: .standardWebhooks, secrets: [v.secret], tolerance: -1) }
    }

    @Test func derivedNegativePayloadsFail() throws {
        let v = try Self.vector()
        let verifier = try WebhookVerifier(scheme: .standardWebhooks, secrets: [v.secret])
        let negatives = try #require(try Self.document()["derived"]?["negative_examples"]?.arrayValue)
        var payloadCases = 0
        for negative in negatives {
            if let payload = negative["payload"]?.stringValue {
                payloadCases += 1
                #expect(verifier.verify(headers: headers(v), body: bytes(payload), now: at(Double(v.timestamp)))
                    == .rejected(.signatureMismatch))
            }
        }
        #expect(payloadCases == 2)
    }

    @Test func wrongKeyBytesSignatureIsNotAccepted() throws {
        let v = try Self.vector()
        let wrong = try #require(try Self.document()["derived"]?["negative_examples"]?.arrayValue?
            .compactMap { $0["webhook_signature"]?.stringValue }.first)
        // What an implementation produces with the UTF-8 of the whsec_ string as key.
        let naive = "v1," + Base64.encode(HMACSHA256.mac(key: bytes(v.secret), message: bytes("\(v.id).\(v.timestamp).") + v.payload))
        #expect(naive == wrong)
        #expect(wrong != v.signature)
        let verifier = try WebhookVerifier(scheme: .standardWebhooks, secrets: [v.secret])
        #expect(verifier.verify(headers: headers(v, signature: wrong), body: v.payload, now: at(Double(v.timestamp)))
            == .rejected(.signatureMismatch))
    }

    // MARK: ecbridge rules

    @Test func svixHeaderNamesAreAccepted() throws {
        let v = try Self.vector()
        let verifier = try WebhookVerifier(scheme: .standardWebhooks, secrets: [v.secret])
        #expect(verifier.verify(headers: headers(v, prefix: "svix"), body: v.payload, now: at(Double(v.timestamp)))
            == .verified(secretIndex: 0, deliveryId: v.id))
    }

    @Test(arguments: [("msg.1", nil), (nil, "1614265330.0"), (nil, "abc"), (nil, "-1614265330"), (nil, "")] as [(String?, String?)])
    func dottedOrNonIntegerIdOrTimestampIsMalformed(_ id: String?, _ timestamp: String?) throws {
        let v = try Self.vector()
        let verifier = try WebhookVerifier(scheme: .standardWebhooks, secrets: [v.secret])
        let result = verifier.verify(headers: headers(v, id: id, timestamp: timestamp), body: v.payload, now: at(Double(v.timestamp)))
        #expect(!result.isVerified)
        if timestamp == "" {
            #expect(result == .rejected(.missingSignature))
        } else {
            #expect(result == .rejected(.malformedSignature))
        }
    }

    @Test func onlyV1EntriesCount() throws {
        let v = try Self.vector()
        let verifier = try WebhookVerifier(scheme: .standardWebhooks, secrets: [v.secret])
        let valid = String(v.signature.dropFirst(3))
        for header in ["v2,\(valid)", "v1a,\(valid)", valid, "V1,\(valid)"] {
            #expect(verifier.verify(headers: headers(v, signature: header), body: v.payload, now: at(Double(v.timestamp)))
                == .rejected(.malformedSignature))
        }
    }

    @Test func rotationSecondSecretVerifies() throws {
        let v = try Self.vector()
        let other = "whsec_" + Base64.encode([UInt8](repeating: 7, count: 32))
        let verifier = try WebhookVerifier(scheme: .standardWebhooks, secrets: [other, v.secret])
        #expect(verifier.verify(headers: headers(v), body: v.payload, now: at(Double(v.timestamp)))
            == .verified(secretIndex: 1, deliveryId: v.id))
    }

    @Test func badKeysFailWithoutRevealingThem() {
        for secret in ["whsec_not*base64", "v1,whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS"] {
            do {
                _ = try WebhookVerifier(scheme: .standardWebhooks, secrets: ["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", secret])
                Issue.record("accepted a bad key")
            } catch {
                let text = String(describing: error)
                #expect(text.contains("#2"))
                #expect(!text.contains(secret))
                #expect(!text.contains("MfKQ9r8"))
            }
        }
    }

    @Test func signerNeedsIdAndTimestamp() {
        #expect(throws: WebhookAuthError.self) {
            try WebhookSigner.headers(scheme: .standardWebhooks, secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", body: [], id: nil, timestamp: 1)
        }
        #expect(throws: WebhookAuthError.self) {
            try WebhookSigner.headers(scheme: .standardWebhooks, secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", body: [], id: "a.b", timestamp: 1)
        }
        #expect(throws: WebhookAuthError.self) {
            try WebhookSigner.headers(scheme: .standardWebhooks, secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", body: [], id: "a", timestamp: nil)
        }
    }
}
