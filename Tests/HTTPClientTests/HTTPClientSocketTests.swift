import Foundation
import Synchronization
import Testing
@testable import HTTPClient

/// The client against scripted loopback servers: keep-alive, stale connections, deadlines, proxies.
@Suite struct HTTPClientSocketTests {
    private func url(_ server: StubServer, _ path: String = "/") throws -> ClientURL {
        try ClientURL(parsing: "http://127.0.0.1:\(server.port)\(path)")
    }

    private static func answer(_ socket: StubSocket, _ text: String, extra: String = "") {
        socket.write("HTTP/1.1 200 OK\r\nContent-Length: \(text.utf8.count)\r\n\(extra)\r\n\(text)")
    }

    @Test func keepAliveReusesOneConnection() throws {
        let heads = Mutex<[String]>([])
        let server = try StubServer { _, socket in
            while let request = socket.readRequest() {
                heads.withLock { $0.append(request.head) }
                Self.answer(socket, "echo \(request.body.count)")
            }
        }
        let client = HTTPClient(options: HTTPClientOptions(timeout: 5, userAgent: "ecbridge/test"))
        for index in 0 ..< 3 {
            let response = try client.send(method: "POST", url: url(server, "/in?n=\(index)"),
                                           headers: [("Content-Type", "application/json")], body: Array("{}".utf8))
            #expect(response.status == 200)
            #expect(String(decoding: response.body, as: UTF8.self) == "echo 2")
        }
        #expect(server.connectionCount == 1)
        #expect(client.idleConnectionCount == 1)
        let first = try #require(heads.withLock { $0.first })
        #expect(first == "POST /in?n=0 HTTP/1.1\r\nHost: 127.0.0.1:\(server.port)\r\nUser-Agent: ecbridge/test\r\n"
            + "Accept: */*\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n")
    }

    @Test func aConnectionThePeerClosedWhileIdleIsNotReused() throws {
        let server = try StubServer { _, socket in
            if socket.readRequest() != nil { Self.answer(socket, "once") }  // then closes: no Connection: close
        }
        let client = HTTPClient(options: HTTPClientOptions(timeout: 5))
        #expect(try client.send(method: "GET", url: url(server)).status == 200)
        Thread.sleep(forTimeInterval: 0.1)  // the close reaches the client
        #expect(try client.send(method: "GET", url: url(server)).status == 200)
        #expect(server.connectionCount == 2)
    }

    /// A server that answers the first request of its first connection, then takes the next request on
    /// that connection and closes without answering (it closed the idle connection as the request came).
    private static func closesAfterOneAnswer(_ requests: RequestCounter) throws -> StubServer {
        try StubServer { index, socket in
            while socket.readRequest() != nil {
                let count = requests.value.add(1, ordering: .relaxed).newValue
                guard index > 0 || count == 1 else { return }
                Self.answer(socket, "ok")
            }
        }
    }

    @Test func anIdempotentRequestOnAStaleConnectionIsRepeatedOnANewOne() throws {
        let requests = RequestCounter()
        let server = try Self.closesAfterOneAnswer(requests)
        let client = HTTPClient(options: HTTPClientOptions(timeout: 5))
        #expect(try client.send(method: "GET", url: url(server)).status == 200)
        #expect(try client.send(method: "PUT", url: url(server), body: [2]).status == 200)
        #expect(server.connectionCount == 2)
        #expect(requests.value.load(ordering: .relaxed) == 3)
    }

    @Test func aPostThatWasSentIsNeverRepeated() throws {
        // The peer may have acted on it (queued an instruction) before the connection died: repeating it
        // could act twice, so the failure goes to the caller, whose lost-answer handling decides.
        let requests = RequestCounter()
        let server = try Self.closesAfterOneAnswer(requests)
        let client = HTTPClient(options: HTTPClientOptions(timeout: 5))
        #expect(try client.send(method: "POST", url: url(server), body: [1]).status == 200)
        #expect(throws: HTTPClientError.io(host: "127.0.0.1", reason: "connection closed before any response")) {
            try client.send(method: "POST", url: url(server), body: [2])
        }
        #expect(server.connectionCount == 1)
        #expect(requests.value.load(ordering: .relaxed) == 2)
    }

    @Test func aFreshConnectionThatDiesIsNotRetried() throws {
        let server = try StubServer { _, socket in _ = socket.readRequest() }
        let client = HTTPClient(options: HTTPClientOptions(timeout: 5))
        #expect(throws: HTTPClientError.io(host: "127.0.0.1", reason: "connection closed before any response")) {
            try client.send(method: "POST", url: url(server), body: [1])
        }
        #expect(server.connectionCount == 1)
    }

    @Test func oneDeadlineBoundsASilentAndATricklingPeer() throws {
        let server = try StubServer { index, socket in
            guard socket.readRequest() != nil else { return }
            if index == 0 { Thread.sleep(forTimeInterval: 3); return }
            for byte in "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n".utf8 {
                socket.write([byte])
                Thread.sleep(forTimeInterval: 0.05)
            }
        }
        let client = HTTPClient(options: HTTPClientOptions(timeout: 0.4))
        for _ in 0 ..< 2 {
            let start = Date()
            #expect(throws: HTTPClientError.timedOut(host: "127.0.0.1", phase: "waiting for the response", seconds: 0.4)) {
                try client.send(method: "GET", url: url(server))
            }
            #expect(Date().timeIntervalSince(start) < 2)
        }
    }

    @Test func refusedConnectionsNameTheHostOnly() throws {
        let server = try StubServer { _, _ in }
        let port = server.port
        server.stop()
        let client = HTTPClient(options: HTTPClientOptions(timeout: 2))
        do {
            _ = try client.send(method: "GET", url: ClientURL(parsing: "http://127.0.0.1:\(port)/?token=secret"))
            Issue.record("expected a connection error")
        } catch {
            guard case .connection(let host, _) = error else { Issue.record("got \(error)"); return }
            #expect(host == "127.0.0.1")
            #expect(!error.description.contains("secret"))
        }
    }

    @Test func anUnresolvableHostIsAResolutionError() throws {
        let client = HTTPClient(options: HTTPClientOptions(timeout: 5))
        #expect(throws: HTTPClientError.self) {
            try client.send(method: "GET", url: ClientURL(parsing: "http://no-such-host.invalid/"))
        }
    }

    @Test func plainHTTPGoesThroughAProxyInAbsoluteForm() throws {
        let seen = Mutex<String>("")
        let proxy = try StubServer { _, socket in
            while let request = socket.readRequest() {
                seen.withLock { $0 = request.head }
                Self.answer(socket, "via proxy")
            }
        }
        let settings = ProxySettings(httpProxy: try ClientURL(parsing: "http://user:p%40ss@127.0.0.1:\(proxy.port)"))
        let client = HTTPClient(options: HTTPClientOptions(timeout: 5, proxy: settings))
        let response = try client.send(method: "GET", url: ClientURL(parsing: "http://partner.example:8080/x?y=1"))
        #expect(String(decoding: response.body, as: UTF8.self) == "via proxy")
        let head = seen.withLock { $0 }
        #expect(head.hasPrefix("GET http://partner.example:8080/x?y=1 HTTP/1.1\r\nHost: partner.example:8080\r\n"))
        #expect(head.contains("Proxy-Authorization: Basic dXNlcjpwQHNz\r\n"))
    }

    @Test func aRefusedTunnelIsAProxyError() throws {
        let seen = Mutex<String>("")
        let proxy = try StubServer { _, socket in
            guard let request = socket.readRequest() else { return }
            seen.withLock { $0 = request.head }
            socket.write("HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n")
        }
        let settings = ProxySettings(httpsProxy: try ClientURL(parsing: "http://127.0.0.1:\(proxy.port)"))
        let client = HTTPClient(options: HTTPClientOptions(timeout: 5, proxy: settings))
        do {
            _ = try client.send(method: "POST", url: ClientURL(parsing: "https://data.solarnetwork.net/solaruser/api"), body: [1])
            Issue.record("expected a proxy error")
        } catch {
            guard case .proxy(let reason) = error else { Issue.record("got \(error)"); return }
            #expect(reason.contains("407"))
        }
        #expect(seen.withLock { $0 } == "CONNECT data.solarnetwork.net:443 HTTP/1.1\r\nHost: data.solarnetwork.net:443\r\n\r\n")
    }

    @Test func bigChunkedBodiesArriveWhole() throws {
        let payload = (0 ..< 200_000).map { UInt8(truncatingIfNeeded: $0 % 251) }
        let server = try StubServer { _, socket in
            guard socket.readRequest() != nil else { return }
            socket.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
            var offset = 0
            while offset < payload.count {
                let size = min(7_777, payload.count - offset)
                socket.write(String(size, radix: 16) + "\r\n")
                socket.write(Array(payload[offset ..< offset + size]) + [13, 10])
                offset += size
            }
            socket.write("0\r\n\r\n")
            _ = socket.readRequest()
        }
        let client = HTTPClient(options: HTTPClientOptions(timeout: 5))
        let response = try client.send(method: "GET", url: url(server))
        #expect(response.body == payload)
        #expect(client.idleConnectionCount == 1)
    }
}

/// Counts requests across a stub server's connection threads.
final class RequestCounter: Sendable {
    let value = Atomic<Int>(0)
}
