import Foundation
import Synchronization
import HTTPServer

/// The handler used by the end-to-end tests: echoes, delays, answers from other threads, refuses early.
struct TestHandler: HTTPHandler {
    func accept(_ head: HTTPRequestHead) -> HTTPResponse? {
        switch head.path {
        case "/refuse": .problem(status: 404, title: "Not Found", detail: "No such webhook.")
        case "/method-only-get" where head.method != "GET": .problem(status: 405, title: "Method Not Allowed", detail: nil)
        default: nil
        }
    }

    func handle(_ request: HTTPRequest, respond: @escaping @Sendable (HTTPResponse) -> Void) {
        let head = request.head
        switch head.path {
        case "/delay":
            let seconds = Double(head.queryItem("s") ?? "0.05") ?? 0.05
            DispatchQueue.global().asyncAfter(deadline: .now() + seconds) {
                respond(.text("late \(head.queryItem("id") ?? "")"))
            }
        case "/thread":
            Thread {
                respond(.text("from another thread"))
                respond(.text("second call is ignored"))
            }.start()
        case "/batch":
            // Held until `count` requests wait, then all answered from one thread in one ResponseBatch.
            let count = Int(head.queryItem("count") ?? "1") ?? 1
            let waiting = BatchGate.shared.hold(respond, text: "batched \(head.queryItem("id") ?? "")")
            if waiting.count == count {
                Thread {
                    ResponseBatch.deliver {
                        for (respond, text) in waiting.prefix(1) { respond(.text(text)) }
                        ResponseBatch.deliver {  // nested: shares the outer batch
                            for (respond, text) in waiting.dropFirst() { respond(.text(text)) }
                        }
                    }
                }.start()
            }
        case "/never":
            break  // never answers: used to bound the drain
        case "/close":
            var response = HTTPResponse.text("bye")
            response.closeConnection = true
            respond(response)
        default:
            var headers = HTTPHeaders()
            headers.add("X-Method", head.method)
            headers.add("X-Evil", "a\r\nInjected: yes")  // must be dropped by the serializer
            respond(HTTPResponse(status: 200, headers: headers,
                                 body: Array("\(head.method) \(head.path) \(request.body.count):".utf8) + request.body))
        }
    }
}

/// Requests held by `/batch` until enough are waiting.
final class BatchGate: Sendable {
    static let shared = BatchGate()
    private let waiting = Mutex<[(@Sendable (HTTPResponse) -> Void, String)]>([])

    /// Adds one; returns everything held so far (and empties the gate when that is what it returns).
    func hold(_ respond: @escaping @Sendable (HTTPResponse) -> Void, text: String)
        -> [(@Sendable (HTTPResponse) -> Void, String)] {
        waiting.withLock { waiting in
            waiting.append((respond, text))
            return waiting
        }
    }
}
