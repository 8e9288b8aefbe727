import COpenSSL
import Foundation
import Testing
@testable import HTTPServer

/// The listener with TLS on an ephemeral port: handshake policy, plain HTTP refused, slow handshakes
/// closed, certificate reload without dropping connections, and load errors that never show key bytes.
@Suite(.serialized) struct TLSTests {
    private func withTLSServer(_ certificate: TestCertificate, _ configure: (inout HTTPServerConfiguration) -> Void = { _ in },
                               _ body: (HTTPServer, Int) throws -> Void) throws {
        var configuration = HTTPServerConfiguration(port: 0, eventLoopCount: 1)
        configuration.tls = try TLSServerContext(certificatePath: certificate.certificatePath,
                                                 privateKeyPath: certificate.privateKeyPath)
        configure(&configuration)
        let server = HTTPServer(configuration: configuration, handler: TestHandler())
        let port = try server.start()
        defer { server.shutdown(drainTimeout: 1) }
        try body(server, port)
    }

    @Test func requestOverTLSWithModernPolicy() throws {
        let directory = try TestCertificate.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let certificate = try TestCertificate.make(in: directory)
        try withTLSServer(certificate) { server, port in
            #expect(server.isTLSEnabled)
            let client = try TLSTestClient(port: port)
            #expect(client.protocolVersion >= ecb_TLS1_2_VERSION())
            #expect(client.negotiatedALPN == "http/1.1")
            #expect(try client.peerCertificateDER() == certificate.der)
            let response = try client.get("/hello")
            #expect(response.status == 200)
            #expect(response.text == "GET /hello 0:")
            // Keep-alive over the same TLS session.
            #expect(try client.get("/again").status == 200)

            // A TLS 1.2-only client gets an ECDHE + AEAD suite.
            let legacy = try TLSTestClient(port: port, maxVersion: ecb_TLS1_2_VERSION())
            #expect(legacy.protocolVersion == ecb_TLS1_2_VERSION())
            #expect(legacy.cipherName.hasPrefix("ECDHE-"))
            #expect(legacy.cipherName.contains("GCM") || legacy.cipherName.contains("CHACHA20"))
            #expect(try legacy.get("/tls12").status == 200)
        }
    }

    @Test func largeBodiesCrossManyRecords() throws {
        let directory = try TestCertificate.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let certificate = try TestCertificate.make(in: directory)
        try withTLSServer(certificate) { _, port in
            let client = try TLSTestClient(port: port)
            let body = (0 ..< 300_000).map { UInt8(truncatingIfNeeded: $0 % 251) }
            try client.send(Array("POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: \(body.count)\r\n\r\n".utf8) + body)
            let response = try client.readResponse()
            #expect(response.status == 200)
            #expect(response.body == Array("POST /echo \(body.count):".utf8) + body)
            #expect(try client.get("/after").status == 200)
        }
    }

    @Test func plainHTTPOnTheTLSPortIsClosed() throws {
        let directory = try TestCertificate.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let certificate = try TestCertificate.make(in: directory)
        try withTLSServer(certificate) { server, port in
            let plain = try TestClient(port: port)
            try plain.send("GET /hello HTTP/1.1\r\nHost: test\r\n\r\n")
            #expect(throws: (any Error).self) { try plain.readResponse() }
            #expect(server.statistics.requests == 0)
        }
    }

    @Test func slowHandshakeIsClosedByTheReadTimeout() throws {
        let directory = try TestCertificate.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let certificate = try TestCertificate.make(in: directory)
        try withTLSServer(certificate, { $0.requestReadTimeout = 0.2; $0.idleTimeout = 60 }) { server, port in
            // Connects but never starts the handshake: the read timeout (not the 60 s idle timeout) closes it.
            let silent = try TestClient(port: port, receiveTimeout: 10)
            #expect(silent.isClosedByPeer())
            // Half a ClientHello, then nothing.
            let partial = try TestClient(port: port, receiveTimeout: 10)
            try partial.send([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00])
            #expect(partial.isClosedByPeer())
            #expect(try TLSTestClient(port: port).get("/still-serving").status == 200)
            _ = server
        }
    }

    @Test func reloadServesTheNewCertificateAndKeepsOpenConnections() throws {
        let directory = try TestCertificate.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let first = try TestCertificate.make(serial: 1, in: directory)
        let second = try TestCertificate.make(serial: 2, in: directory)
        #expect(first.der != second.der)
        try withTLSServer(first) { server, port in
            let before = try TLSTestClient(port: port)
            #expect(try before.peerCertificateDER() == first.der)
            #expect(try before.get("/one").status == 200)

            try server.reloadTLS(TLSServerContext(certificatePath: second.certificatePath,
                                                  privateKeyPath: second.privateKeyPath))

            let after = try TLSTestClient(port: port)
            #expect(try after.peerCertificateDER() == second.der)
            #expect(try after.get("/two").status == 200)
            // The connection opened before the reload still works, on its original session.
            #expect(try before.get("/three").status == 200)
            #expect(try before.peerCertificateDER() == first.der)
        }
    }

    @Test func reloadWithoutTLSIsAnError() throws {
        let directory = try TestCertificate.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let certificate = try TestCertificate.make(in: directory)
        let server = HTTPServer(configuration: HTTPServerConfiguration(port: 0, eventLoopCount: 1), handler: TestHandler())
        #expect(!server.isTLSEnabled)
        let context = try TLSServerContext(certificatePath: certificate.certificatePath, privateKeyPath: certificate.privateKeyPath)
        #expect(throws: HTTPServerError.tlsNotEnabled) { try server.reloadTLS(context) }
    }

    @Test func loadErrorsNameTheFileButNeverTheKey() throws {
        let directory = try TestCertificate.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let certificate = try TestCertificate.make(serial: 1, in: directory)
        let other = try TestCertificate.make(serial: 2, in: directory)
        let keyText = try String(contentsOfFile: certificate.privateKeyPath, encoding: .utf8)
        let keyLines = keyText.split(separator: "\n").filter { !$0.hasPrefix("-----") }

        func failure(_ certificatePath: String, _ keyPath: String) -> TLSContextError? {
            do {
                _ = try TLSServerContext(certificatePath: certificatePath, privateKeyPath: keyPath)
                return nil
            } catch {
                return error
            }
        }

        let missing = failure(directory + "/missing.crt", certificate.privateKeyPath)
        guard case .certificate(let path, _) = missing else { Issue.record("expected a certificate error: \(String(describing: missing))"); return }
        #expect(path == directory + "/missing.crt")

        // The key given as the certificate: refused as a certificate, and its bytes are not echoed.
        let keyAsCertificate = failure(certificate.privateKeyPath, certificate.privateKeyPath)
        guard case .certificate = keyAsCertificate else { Issue.record("expected a certificate error"); return }

        let certificateAsKey = failure(certificate.certificatePath, certificate.certificatePath)
        guard case .privateKey = certificateAsKey else { Issue.record("expected a key error"); return }

        let mismatch = failure(certificate.certificatePath, other.privateKeyPath)
        guard case .privateKey(_, let reason) = mismatch else { Issue.record("expected a key error"); return }
        #expect(reason.contains("mismatch") || reason.contains("does not match"))

        for error in [missing, keyAsCertificate, certificateAsKey, mismatch].compactMap({ $0 }) {
            for line in keyLines { #expect(!error.description.contains(line)) }
        }
    }
}
