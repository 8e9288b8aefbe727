import COpenSSL
import CSystem
import Foundation
@testable import HTTPServer
#if canImport(Glibc)
import Glibc
#endif

/// A throwaway self-signed P-256 certificate made with the OpenSSL C API, so the TLS tests need no
/// `openssl` binary and no files in the repository.
struct TestCertificate {
    let certificatePath: String
    let privateKeyPath: String
    /// DER of the certificate, to recognise it on the client side.
    let der: [UInt8]

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func make(commonName: String = "localhost", serial: Int = 1, in directory: String) throws -> TestCertificate {
        guard let key = ecb_EVP_EC_gen_P256() else { throw Failure(description: "EC key generation failed") }
        defer { EVP_PKEY_free(key) }
        guard let certificate = X509_new() else { throw Failure(description: "X509_new failed") }
        defer { X509_free(certificate) }
        guard X509_set_version(certificate, 2) == 1,
              ASN1_INTEGER_set(X509_get_serialNumber(certificate), serial) == 1,
              X509_gmtime_adj(X509_getm_notBefore(certificate), -60) != nil,
              X509_gmtime_adj(X509_getm_notAfter(certificate), 86_400) != nil,
              X509_set_pubkey(certificate, key) == 1,
              let name = X509_get_subject_name(certificate),
              X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, commonName, -1, -1, 0) == 1,
              X509_set_issuer_name(certificate, name) == 1,
              X509_sign(certificate, key, EVP_sha256()) > 0
        else { throw Failure(description: "building the certificate failed") }

        let base = directory + "/" + commonName + "-\(serial)"
        let certificatePath = base + ".crt", privateKeyPath = base + ".key"
        guard let certificateFile = BIO_new_file(certificatePath, "w") else { throw Failure(description: "cannot write \(certificatePath)") }
        let wroteCertificate = PEM_write_bio_X509(certificateFile, certificate)
        BIO_free(certificateFile)
        guard let keyFile = BIO_new_file(privateKeyPath, "w") else { throw Failure(description: "cannot write \(privateKeyPath)") }
        let wroteKey = PEM_write_bio_PrivateKey(keyFile, key, nil, nil, 0, nil, nil)
        BIO_free(keyFile)
        guard wroteCertificate == 1, wroteKey == 1 else { throw Failure(description: "PEM output failed") }
        return TestCertificate(certificatePath: certificatePath, privateKeyPath: privateKeyPath,
                               der: try Self.der(certificate))
    }

    static func der(_ certificate: OpaquePointer) throws -> [UInt8] {
        var pointer: UnsafeMutablePointer<UInt8>?
        let length = i2d_X509(certificate, &pointer)
        guard length > 0, let pointer else { throw Failure(description: "i2d_X509 failed") }
        defer { CRYPTO_free(pointer, #fileID, #line) }
        return Array(UnsafeBufferPointer(start: pointer, count: Int(length)))
    }

    static func temporaryDirectory() throws -> String {
        let directory = NSTemporaryDirectory() + "ecbridge-tls-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return directory
    }
}

/// A blocking OpenSSL client for the TLS tests. It does not verify the chain (the certificate is
/// self-signed); instead the tests compare the certificate the server presented with the one they made.
final class TLSTestClient {
    let fd: Int32
    private let context: OpaquePointer
    private let ssl: OpaquePointer
    private var buffer: [UInt8] = []

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    init(port: Int, maxVersion: Int32? = nil, alpn: [String] = ["http/1.1"]) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket") }
        self.fd = fd
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        _ = setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        guard connected == 0, let context = SSL_CTX_new(TLS_client_method()) else {
            Glibc.close(fd)
            throw Failure(description: "connect or SSL_CTX_new failed")
        }
        self.context = context
        if let maxVersion { _ = ecb_SSL_CTX_set_max_proto_version(context, maxVersion) }
        var protocols: [UInt8] = []
        for name in alpn { protocols.append(UInt8(name.utf8.count)); protocols.append(contentsOf: name.utf8) }
        _ = SSL_CTX_set_alpn_protos(context, protocols, UInt32(protocols.count))
        guard let ssl = SSL_new(context) else {
            SSL_CTX_free(context)
            Glibc.close(fd)
            throw Failure(description: "SSL_new failed")
        }
        self.ssl = ssl
        _ = SSL_set_fd(ssl, fd)
        _ = ecb_SSL_set_tlsext_host_name(ssl, "localhost")
        guard SSL_connect(ssl) == 1 else {
            throw Failure(description: "handshake failed: \(TLSServerContext.lastErrorReason(default: "unknown"))")
        }
    }

    deinit {
        SSL_free(ssl)
        SSL_CTX_free(context)
        Glibc.close(fd)
    }

    var protocolVersion: Int32 { SSL_version(ssl) }

    var cipherName: String {
        guard let cipher = SSL_get_current_cipher(ssl), let name = SSL_CIPHER_get_name(cipher) else { return "" }
        return String(cString: name)
    }

    var negotiatedALPN: String {
        var data: UnsafePointer<UInt8>?
        var length: UInt32 = 0
        SSL_get0_alpn_selected(ssl, &data, &length)
        guard let data else { return "" }
        return String(decoding: UnsafeBufferPointer(start: data, count: Int(length)), as: UTF8.self)
    }

    func peerCertificateDER() throws -> [UInt8] {
        guard let certificate = SSL_get1_peer_certificate(ssl) else { throw Failure(description: "no peer certificate") }
        defer { X509_free(certificate) }
        return try TestCertificate.der(certificate)
    }

    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            var written = 0
            let status = bytes[offset...].withUnsafeBytes { SSL_write_ex(ssl, $0.baseAddress, $0.count, &written) }
            guard status == 1 else { throw Failure(description: "SSL_write failed") }
            offset += written
        }
    }

    /// Reads one Content-Length framed response.
    func readResponse() throws -> TestClient.Response {
        let terminator: [UInt8] = [13, 10, 13, 10]
        while buffer.firstRange(of: terminator) == nil {
            guard fill() else { throw Failure(description: "connection ended before a response head") }
        }
        guard let headEnd = buffer.firstRange(of: terminator)?.upperBound else { throw Failure(description: "no head") }
        var lines = String(decoding: buffer[0 ..< headEnd - 4], as: UTF8.self).components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst().split(separator: " ")
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else { throw Failure(description: "bad status line") }
        let headers = lines.compactMap { line -> (String, String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        buffer.removeFirst(headEnd)
        var response = TestClient.Response(status: status, headers: headers, body: [])
        let length = Int(response.header("Content-Length") ?? "0") ?? 0
        while buffer.count < length {
            guard fill() else { throw Failure(description: "connection ended inside a body") }
        }
        response.body = Array(buffer[0 ..< length])
        buffer.removeFirst(length)
        return response
    }

    func get(_ path: String) throws -> TestClient.Response {
        try send(Array("GET \(path) HTTP/1.1\r\nHost: localhost\r\n\r\n".utf8))
        return try readResponse()
    }

    private func fill() -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65_536)
        var count = 0
        let status = chunk.withUnsafeMutableBytes { SSL_read_ex(ssl, $0.baseAddress, $0.count, &count) }
        guard status == 1 else { return false }
        buffer.append(contentsOf: chunk[0 ..< count])
        return true
    }
}
