import CSystem
import Foundation
import Synchronization
import Testing
@testable import HTTPServer
#if canImport(Glibc)
import Glibc
#endif

/// The whole server on an ephemeral port, driven by blocking test clients. Timeouts are shortened so each
/// test stays fast; no test asserts how long anything took.
@Suite struct ServerTests {
    private func withServer(_ configure: (inout HTTPServerConfiguration) -> Void = { _ in },
                            _ body: (HTTPServer, Int) throws -> Void) throws {
        var configuration = HTTPServerConfiguration(port: 0, eventLoopCount: 1)
        configure(&configuration)
        let server = HTTPServer(configuration: configuration, handler: TestHandler())
        let port = try server.start()
        #expect(server.port == port)
        defer { server.shutdown(drainTimeout: 1) }
        try body(server, port)
    }

    @Test func keepAliveServesSeveralRequestsOnOneConnection() throws {
        try withServer { server, port in
            let client = try TestClient(port: port)
            let first = try client.get("/a")
            #expect(first.status == 200)
            #expect(first.text == "GET /a 0:")
            #expect(first.header("Content-Length") == "9")
            #expect(first.header("Date")?.hasSuffix(" GMT") == true)
            #expect(first.header("Connection") == nil)
            #expect(first.header("X-Method") == "GET")
            #expect(first.header("X-Evil") == nil)
            #expect(first.header("Injected") == nil)
            let second = try client.get("/b")
            #expect(second.text == "GET /b 0:")
            #expect(server.statistics.requests == 2)
            #expect(server.statistics.acceptedConnections == 1)
        }
    }

    @Test func answersDeliveredAsOneBatchFromAnotherThreadAllArrive() throws {
        try withServer({ $0.eventLoopCount = 2 }) { _, port in
            let clients = try (0..<6).map { _ in try TestClient(port: port) }
            for (index, client) in clients.enumerated() {
                try client.send("GET /batch?count=6&id=\(index) HTTP/1.1\r\nHost: x\r\n\r\n")
            }
            for (index, client) in clients.enumerated() {
                let response = try client.readResponse()
                #expect(response.status == 200)
                #expect(response.text == "batched \(index)")
            }
        }
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() throws {
        try withServer { _, port in
            let client = try TestClient(port: port)
            try client.send("GET /delay?s=0.1&id=1 HTTP/1.1\r\nHost: t\r\n\r\nGET /2 HTTP/1.1\r\nHost: t\r\n\r\n"
                + "POST /3 HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\nabc")
            #expect(try client.readResponse().text == "late 1")
            #expect(try client.readResponse().text == "GET /2 0:")
            #expect(try client.readResponse().text == "POST /3 3:abc")
        }
    }

    @Test func chunkedRequestBody() throws {
        try withServer { _, port in
            let client = try TestClient(port: port)
            try client.send("POST /c HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n")
            try client.send("2\r\nde\r\n0\r\n\r\n")
            #expect(try client.readResponse().text == "POST /c 5:abcde")
        }
    }

    @Test func headResponsesCarryLengthButNoBody() throws {
        try withServer { _, port in
            let client = try TestClient(port: port)
            try client.send("HEAD /h HTTP/1.1\r\nHost: t\r\n\r\n")
            let head = try client.readResponse(head: true)
            #expect(head.status == 200)
            #expect(head.header("Content-Length") == "10")
            #expect(try client.get("/next").text == "GET /next 0:")
        }
    }

    @Test func oversizedBodyIsRefusedBeforeItIsSent() throws {
        try withServer({ $0.maxBodyBytes = 1_000 }) { server, port in
            let client = try TestClient(port: port)
            // Only the head: the 413 must arrive without the server waiting for 5000 body bytes.
            try client.send("POST /upload HTTP/1.1\r\nHost: t\r\nContent-Length: 5000\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.status == 413)
            #expect(response.header("Connection") == "close")
            #expect(response.header("Content-Type") == "application/problem+json")
            #expect(response.text.contains("\"status\":413"))
            #expect(client.isClosedByPeer())
            #expect(server.statistics.rejections[413] == 1)
        }
    }

    @Test func slowLorisGets408() throws {
        try withServer({ $0.requestReadTimeout = 0.3 }) { server, port in
            let client = try TestClient(port: port)
            try client.send("GET / HTTP/1.1\r\nHo")
            let response = try client.readResponse()
            #expect(response.status == 408)
            #expect(response.header("Connection") == "close")
            #expect(client.isClosedByPeer())
            #expect(server.statistics.rejections[408] == 1)
        }
    }

    @Test func idleKeepAliveConnectionIsClosedSilently() throws {
        try withServer({ $0.idleTimeout = 0.3 }) { _, port in
            let client = try TestClient(port: port)
            #expect(try client.get("/").status == 200)
            #expect(client.isClosedByPeer())
        }
    }

    @Test func connectionsBeyondTheLimitAreRefused() throws {
        try withServer({ $0.maxConnections = 2 }) { server, port in
            let first = try TestClient(port: port), second = try TestClient(port: port)
            #expect(try first.get("/1").status == 200)
            #expect(try second.get("/2").status == 200)
            let third = try TestClient(port: port)
            if let response = try? third.readResponse() {
                #expect(response.status == 503)
            }
            #expect(third.isClosedByPeer())
            #expect(server.statistics.rejections[503] == 1)
            #expect(server.statistics.openConnections == 2)
        }
    }

    @Test func expectContinue() throws {
        try withServer { _, port in
            let client = try TestClient(port: port)
            try client.send("POST /x HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n")
            #expect(try client.readResponse().status == 100)
            try client.send("hello")
            #expect(try client.readResponse().text == "POST /x 5:hello")

            let refused = try TestClient(port: port)
            try refused.send("POST /refuse HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n")
            let response = try refused.readResponse()
            #expect(response.status == 404)
            #expect(response.header("Connection") == "close")
            #expect(refused.isClosedByPeer())
        }
    }

    @Test func earlyRefusalWithoutBodyKeepsTheConnection() throws {
        try withServer { _, port in
            let client = try TestClient(port: port)
            let refused = try client.get("/refuse")
            #expect(refused.status == 404)
            #expect(refused.header("Connection") == nil)
            #expect(refused.text.contains("\"title\":\"Not Found\""))
            #expect(try client.get("/ok").status == 200)
            // A refusal answered synchronously in the middle of a pipelined batch keeps the order.
            try client.send("GET /refuse HTTP/1.1\r\nHost: t\r\n\r\nGET /after HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try client.readResponse().status == 404)
            #expect(try client.readResponse().text == "GET /after 0:")
        }
    }

    @Test func responsesMayComeFromOtherThreads() throws {
        try withServer { _, port in
            let client = try TestClient(port: port)
            #expect(try client.get("/thread").text == "from another thread")
            #expect(try client.get("/delay?s=0.1&id=x").text == "late x")
            #expect(try client.get("/after").text == "GET /after 0:")
        }
    }

    @Test func smugglingAttemptGets400AndClose() throws {
        try withServer { server, port in
            let client = try TestClient(port: port)
            try client.send("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.status == 400)
            #expect(response.header("Connection") == "close")
            #expect(response.text.contains("\"type\":\"about:blank\""))
            #expect(client.isClosedByPeer())
            #expect(server.statistics.rejections[400] == 1)
        }
    }

    @Test func http10ClosesByDefault() throws {
        try withServer { _, port in
            let client = try TestClient(port: port)
            try client.send("GET /old HTTP/1.0\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.status == 200)
            #expect(response.header("Connection") == "close")
            #expect(client.isClosedByPeer())

            let kept = try TestClient(port: port)
            try kept.send("GET /old HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            #expect(try kept.readResponse().header("Connection") == "keep-alive")
            try kept.send("GET /again HTTP/1.0\r\n\r\n")
            #expect(try kept.readResponse().text == "GET /again 0:")
        }
    }

    @Test func handlerCanAskToClose() throws {
        try withServer { _, port in
            let client = try TestClient(port: port)
            let response = try client.get("/close")
            #expect(response.header("Connection") == "close")
            #expect(client.isClosedByPeer())
        }
    }

    @Test func manyIdleConnectionsDoNotBlockARequest() throws {
        try withServer({ $0.eventLoopCount = 2 }) { server, port in
            var idle: [TestClient] = []
            for _ in 0 ..< 200 { idle.append(try TestClient(port: port)) }
            let client = try TestClient(port: port)
            #expect(try client.get("/busy").status == 200)
            #expect(server.statistics.acceptedConnections >= 1)
            #expect(idle.count == 200)
        }
    }

    @Test func concurrentKeepAliveClients() throws {
        try withServer({ $0.eventLoopCount = 2 }) { server, port in
            let failures = Mutex(0)
            let group = DispatchGroup()
            for clientIndex in 0 ..< 8 {
                group.enter()
                Thread {
                    defer { group.leave() }
                    guard let client = try? TestClient(port: port) else {
                        failures.withLock { $0 += 1 }
                        return
                    }
                    for request in 0 ..< 50 {
                        let path = "/c\(clientIndex)/\(request)"
                        if (try? client.get(path))?.text != "GET \(path) 0:" { failures.withLock { $0 += 1 } }
                    }
                }.start()
            }
            #expect(group.wait(timeout: .now() + 30) == .success)
            #expect(failures.withLock { $0 } == 0)
            #expect(server.statistics.requests == 400)
        }
    }

    @Test func shutdownDrainsInFlightRequests() throws {
        var configuration = HTTPServerConfiguration(port: 0, eventLoopCount: 1)
        configuration.idleTimeout = 30
        let server = HTTPServer(configuration: configuration, handler: TestHandler())
        let port = try server.start()
        let idle = try TestClient(port: port)
        #expect(try idle.get("/warm").status == 200)
        let busy = try TestClient(port: port)
        try busy.send("GET /delay?s=0.3&id=drain HTTP/1.1\r\nHost: t\r\n\r\n")
        Thread.sleep(forTimeInterval: 0.05)  // let the request reach the handler
        let done = DispatchSemaphore(value: 0)
        Thread {
            server.shutdown(drainTimeout: 5)
            done.signal()
        }.start()
        let response = try busy.readResponse()
        #expect(response.text == "late drain")
        #expect(response.header("Connection") == "close")
        #expect(idle.isClosedByPeer())
        #expect(done.wait(timeout: .now() + 10) == .success)
        server.shutdown(drainTimeout: 1)  // idempotent
        #expect(server.statistics.openConnections == 0)
        #expect((try? TestClient(port: port)) == nil)
    }

    @Test func drainIsBoundedWhenAHandlerNeverAnswers() throws {
        let server = HTTPServer(configuration: HTTPServerConfiguration(port: 0, eventLoopCount: 1), handler: TestHandler())
        let port = try server.start()
        let client = try TestClient(port: port)
        try client.send("GET /never HTTP/1.1\r\nHost: t\r\n\r\n")
        Thread.sleep(forTimeInterval: 0.05)
        server.shutdown(drainTimeout: 0.2)
        #expect(client.isClosedByPeer())
        #expect(server.statistics.openConnections == 0)
    }

    @Test func connectionOverASocketPair() throws {
        try withServer { server, _ in
            var pair: [Int32] = [0, 0]
            #expect(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &pair) == 0)
            server.adoptConnection(fileDescriptor: pair[0], remoteAddress: "pair")
            let client = TestClient(fileDescriptor: pair[1])
            try client.send("GET /p1 HTTP/1.1\r\nHost: t\r\n\r\nGET /p2 HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try client.readResponse().text == "GET /p1 0:")
            #expect(try client.readResponse().text == "GET /p2 0:")
            try client.send("GET / HTTP/2.0\r\nHost: t\r\n\r\n")
            #expect(try client.readResponse().status == 505)
            #expect(client.isClosedByPeer())
        }
    }
}
