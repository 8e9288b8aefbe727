import Foundation
import Synchronization
import Testing
import HTTPClient
@testable import HTTPServer
#if canImport(Glibc)
import Glibc
#endif

/// Our outbound client against our TLS listener: certificates and host names are verified, sessions are
/// kept alive, and https through a proxy tunnel stays end-to-end TLS.
@Suite(.serialized) struct TLSClientInteropTests {
    private func withTLSServer(commonName: String = "localhost", maxBodyBytes: Int = 1_048_576,
                               _ body: (TestCertificate, Int) throws -> Void) throws {
        let directory = try TestCertificate.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let certificate = try TestCertificate.make(commonName: commonName, in: directory)
        var configuration = HTTPServerConfiguration(port: 0, eventLoopCount: 1)
        configuration.maxBodyBytes = maxBodyBytes
        configuration.lingerMaxBytes = 0
        configuration.tls = try TLSServerContext(certificatePath: certificate.certificatePath,
                                                 privateKeyPath: certificate.privateKeyPath)
        let server = HTTPServer(configuration: configuration, handler: TestHandler())
        let port = try server.start()
        defer { server.shutdown(drainTimeout: 1) }
        try body(certificate, port)
    }

    @Test func verifiedRequestsShareOneSession() throws {
        try withTLSServer { certificate, port in
            let client = HTTPClient(options: HTTPClientOptions(timeout: 5, trust: .certificateFile(certificate.certificatePath)))
            let url = try ClientURL(parsing: "https://localhost:\(port)/echo")
            let first = try client.send(method: "POST", url: url, body: Array("signed".utf8))
            #expect(first.status == 200)
            #expect(String(decoding: first.body, as: UTF8.self) == "POST /echo 6:signed")
            let second = try client.send(method: "GET", url: ClientURL(parsing: "https://localhost:\(port)/hello"))
            #expect(String(decoding: second.body, as: UTF8.self) == "GET /hello 0:")
            #expect(client.idleConnectionCount == 1)
        }
    }

    @Test func aPeerThatClosesWhileWeWriteIsAnAnswerOrAnError() throws {
        try withTLSServer(maxBodyBytes: 1_024) { certificate, port in
            let client = HTTPClient(options: HTTPClientOptions(timeout: 5, trust: .certificateFile(certificate.certificatePath)))
            let body = [UInt8](repeating: 0x41, count: 8 * 1_048_576)
            // The listener answers 413 and closes while megabytes are still being written: the client either
            // reads that answer or reports the broken connection. (SIGPIPE cannot be observed here: the TLS
            // listener in this process ignores it too.)
            do throws(HTTPClientError) {
                let response = try client.send(method: "POST", url: ClientURL(parsing: "https://localhost:\(port)/echo"), body: body)
                #expect(response.status == 413)
            } catch {
                guard case .io = error else { Issue.record("got \(error)"); return }
            }
        }
    }

    @Test func aNameTheCertificateDoesNotCoverIsRefused() throws {
        try withTLSServer { certificate, port in
            let client = HTTPClient(options: HTTPClientOptions(timeout: 5, trust: .certificateFile(certificate.certificatePath)))
            do throws(HTTPClientError) {
                _ = try client.send(method: "GET", url: ClientURL(parsing: "https://127.0.0.1:\(port)/hello"))
                Issue.record("an IP the certificate does not name must fail")
            } catch {
                guard case .tls(_, let reason) = error else { Issue.record("got \(error)"); return }
                #expect(reason.contains("certificate verification failed"))
            }
        }
    }

    @Test func anUntrustedCertificateIsRefused() throws {
        try withTLSServer { _, port in
            let client = HTTPClient(options: HTTPClientOptions(timeout: 5, trust: .system))
            #expect(throws: HTTPClientError.self) {
                try client.send(method: "GET", url: ClientURL(parsing: "https://localhost:\(port)/hello"))
            }
        }
    }

    @Test func httpsThroughAProxyTunnel() throws {
        try withTLSServer(commonName: "partner.test") { certificate, port in
            let seen = Mutex<[String]>([])
            let proxy = try RelayProxy(targetPort: port) { line in seen.withLock { $0.append(line) } }
            defer { proxy.stop() }
            let settings = ProxySettings(httpsProxy: try ClientURL(parsing: "http://127.0.0.1:\(proxy.port)"))
            let client = HTTPClient(options: HTTPClientOptions(timeout: 5, trust: .certificateFile(certificate.certificatePath),
                                                               proxy: settings))
            // partner.test does not resolve here: only the relay (which connects to 127.0.0.1) can reach the server,
            // and the certificate is checked against the name asked for.
            let response = try client.send(method: "GET", url: ClientURL(parsing: "https://partner.test:\(port)/hello"))
            #expect(response.status == 200)
            #expect(seen.withLock { $0 } == ["CONNECT partner.test:\(port) HTTP/1.1"])
        }
    }
}

/// A CONNECT proxy for one tunnel: reads the request line, answers 200, then relays bytes both ways to
/// 127.0.0.1:`targetPort` whatever host was asked for.
final class RelayProxy: Sendable {
    let port: Int
    private let listener: Int32

    init(targetPort: Int, onRequestLine: @escaping @Sendable (String) -> Void) throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ready = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(listener, $0, length) == 0 && listen(listener, 8) == 0 && getsockname(listener, $0, &length) == 0
            }
        }
        guard listener >= 0, ready else { throw TestCertificate.Failure(description: "relay setup failed") }
        self.listener = listener
        port = Int(UInt16(bigEndian: address.sin_port))
        Thread {
            let client = accept(listener, nil, nil)
            guard client >= 0 else { return }
            var head: [UInt8] = []
            var byte: UInt8 = 0
            while !head.reversed().starts(with: [10, 13, 10, 13]), recv(client, &byte, 1, 0) == 1 { head.append(byte) }
            let text = String(decoding: head, as: UTF8.self)
            onRequestLine(text.components(separatedBy: "\r\n").first ?? "")
            let upstream = RelayProxy.connect(port: targetPort)
            _ = "HTTP/1.1 200 Connection established\r\n\r\n".withCString { send(client, $0, strlen($0), 0) }
            RelayProxy.pump(client, upstream)
        }.start()
    }

    func stop() {
        _ = shutdown(listener, Int32(SHUT_RDWR))
        _ = Glibc.close(listener)
    }

    private static func connect(port: Int) -> Int32 {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        return descriptor
    }

    private static func pump(_ left: Int32, _ right: Int32) {
        var fds = [pollfd(fd: left, events: Int16(POLLIN), revents: 0), pollfd(fd: right, events: Int16(POLLIN), revents: 0)]
        var chunk = [UInt8](repeating: 0, count: 16_384)
        outer: while poll(&fds, 2, 5_000) > 0 {
            for (index, entry) in fds.enumerated() where entry.revents != 0 {
                let count = chunk.withUnsafeMutableBytes { recv(entry.fd, $0.baseAddress, $0.count, 0) }
                guard count > 0 else { break outer }
                let other = fds[1 - index].fd
                _ = chunk.withUnsafeBytes { send(other, $0.baseAddress, count, 0) }
            }
        }
        _ = Glibc.close(left)
        _ = Glibc.close(right)
    }
}
