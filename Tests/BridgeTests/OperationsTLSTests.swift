import Essentials
import Foundation
import Testing
@testable import Bridge

/// `listen.tls` in the runtime: load errors name the setting and never print key material; with the
/// `openssl` tool available, a TLS runtime starts and reloads its certificate (the TLS wire behaviour
/// itself is tested in HTTPServerTests with the OpenSSL C API).
@Suite(.serialized) struct OperationsTLSTests {
    static func configuration(directory: String, certificate: String, privateKey: String) -> BridgeConfiguration {
        var configuration = BridgeConfiguration()
        configuration.listen.port = 0
        configuration.listen.eventLoops = 1
        configuration.listen.drainTimeout = 1
        configuration.listen.tls = TLSSettings(certificate: certificate, privateKey: privateKey)
        configuration.store.path = directory + "/store.sqlite"
        return configuration
    }

    static func temporaryDirectory() throws -> String {
        let directory = NSTemporaryDirectory() + "ecbridge-ops-tls-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return directory
    }

    static func startError(_ configuration: BridgeConfiguration) -> ConfigError? {
        do {
            let runtime = try BridgeRuntime.start(configuration, logger: Logger(sink: .discard))
            runtime.stop()
            return nil
        } catch let error as ConfigError {
            return error
        } catch {
            return ConfigError(path: "?", message: "\(error)")
        }
    }

    @Test func tlsSettingsParse() throws {
        let json = try JSON.parse(Array(#"{"listen":{"tls":{"certificate":"/etc/ecbridge/tls.crt","privateKey":"/etc/ecbridge/tls.key"}}}"#.utf8))
        let configuration = try BridgeConfiguration(json: json)
        #expect(configuration.listen.tls == TLSSettings(certificate: "/etc/ecbridge/tls.crt", privateKey: "/etc/ecbridge/tls.key"))
    }

    @Test func loadErrorsNameTheSettingAndHideTheKey() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let fakeKey = "-----BEGIN PRIVATE KEY-----\nTUlJQ2RnSUJBREFOQmdrcWhraUc5dzBCQVFFRkFBU0NBbUF3Z2dKY0FnRUFBb0dCQUxEVA==\n-----END PRIVATE KEY-----\n"
        try Data(fakeKey.utf8).write(to: URL(fileURLWithPath: directory + "/broken.key"))

        let missing = Self.startError(Self.configuration(directory: directory, certificate: directory + "/none.crt",
                                                         privateKey: directory + "/broken.key"))
        #expect(missing?.path == "listen.tls.certificate")
        #expect(missing?.message.contains(directory + "/none.crt") == true)

        // A "certificate" file that holds a key: refused as a certificate, and none of its bytes are echoed.
        let keyAsCertificate = Self.startError(Self.configuration(directory: directory, certificate: directory + "/broken.key",
                                                                  privateKey: directory + "/broken.key"))
        #expect(keyAsCertificate?.path == "listen.tls.certificate")
        #expect(keyAsCertificate?.description.contains("TUlJQ2") == false)
    }

    @Test func runtimeServesTLSAndReloadsWithTheOpenSSLTool() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl") else {
            print("skipped: /usr/bin/openssl not found (HTTPServerTests cover TLS with the C API)")
            return
        }
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        func makeCertificate(_ name: String) throws {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
            process.arguments = ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                                 "-days", "1", "-subj", "/CN=localhost", "-keyout", directory + "/\(name).key",
                                 "-out", directory + "/\(name).crt"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
        }
        try makeCertificate("first")
        try makeCertificate("second")
        let configuration = Self.configuration(directory: directory, certificate: directory + "/first.crt",
                                               privateKey: directory + "/first.key")
        let lines = CapturedLines()
        let runtime = try BridgeRuntime.start(configuration, logger: Logger(sink: Logger.Sink { lines.append($0) }))
        defer { runtime.stop() }
        #expect(lines.lines.contains { $0.contains("\"tls\":\"on\"") })

        // SIGHUP's work: the files are replaced in place, then reloaded.
        try FileManager.default.removeItem(atPath: directory + "/first.crt")
        try FileManager.default.removeItem(atPath: directory + "/first.key")
        try FileManager.default.copyItem(atPath: directory + "/second.crt", toPath: directory + "/first.crt")
        try FileManager.default.copyItem(atPath: directory + "/second.key", toPath: directory + "/first.key")
        try runtime.reloadTLS()
        #expect(lines.lines.contains { $0.contains("TLS certificate reloaded") })

        // A broken file on reload: an error naming the setting; the old certificate stays in use.
        try Data("garbage".utf8).write(to: URL(fileURLWithPath: directory + "/first.key"))
        #expect(throws: ConfigError.self) { try runtime.reloadTLS() }
    }
}
