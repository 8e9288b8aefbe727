/// One client connection, driven by its event loop's thread only: reads into the loop's shared buffer,
/// feeds the parser, calls the handler, writes each response with one system call, and keeps requests
/// strictly in order (the next request is not parsed until the current response is written; bytes that
/// arrived early stay buffered).
final class Connection {
    enum State {
        case reading, awaitingResponse, writing, lingering, closed
    }

    let id: UInt64
    let transport: any ConnectionTransport
    unowned let loop: EventLoop
    private(set) var state = State.reading

    private var parser: HTTPRequestParser
    private var pending: [UInt8] = []
    private var readable = false
    /// The peer sent FIN (or vanished): read until EOF instead of trusting a short read.
    private var peerClosing = false
    /// True while `process(_:)` runs: a response finished synchronously inside it must not start reading
    /// or parsing again, because the caller still holds unparsed bytes that come first.
    private var isProcessing = false
    private var output: [UInt8] = []
    private var outputBody: [UInt8] = []
    private var outputOffset = 0
    private var closeAfterWrite = false
    private var lingerAfterWrite = false
    private var lingeredBytes = 0
    private var requestMethod = ""
    private var requestVersion = HTTPVersion.http1_1
    private var requestKeepAlive = true
    private(set) var responseSerial: UInt64 = 0

    // Timeout bookkeeping, owned by the loop's TimeoutLists.
    var timeoutKind: TimeoutKind?
    var deadline: UInt64 = 0
    var timerPrevious: Connection?
    var timerNext: Connection?

    init(id: UInt64, transport: any ConnectionTransport, loop: EventLoop, parser: HTTPRequestParser) {
        self.id = id
        self.transport = transport
        self.loop = loop
        self.parser = parser
    }

    /// No request in progress and nothing buffered: safe to close when draining.
    var isIdle: Bool { state == .reading && parser.isAtRequestStart && pending.isEmpty }

    // MARK: - Events

    func handleEvents(readable isReadable: Bool, writable: Bool, error: Bool, hangUp: Bool, peerClosed: Bool) {
        if error {
            close()
            return
        }
        if isReadable || (writable && transport.readWantsWritable) { readable = true }
        if peerClosed { peerClosing = true }
        if state == .writing, writable || (isReadable && transport.writeWantsReadable) { flush() }
        if state == .reading || state == .lingering {
            readAvailable()
        } else if hangUp, state == .awaitingResponse {
            close()  // the peer is gone in both directions; a later response is dropped
        }
    }

    func timeoutExpired(_ kind: TimeoutKind) {
        switch kind {
        case .read where state == .reading && !transport.isHandshaking:
            reject(.readTimeout)
        default:
            close()
        }
    }

    // MARK: - Reading

    private func readAvailable() {
        while readable, state == .reading || state == .lingering {
            switch transport.read(into: loop.readBuffer) {
            case .bytes(let count):
                // Edge-triggered epoll queues a new event for data arriving after this read, so a short
                // read means the socket is drained: skip the extra read that would only say EAGAIN.
                if count < loop.readBuffer.count, !peerClosing, !transport.hasPendingInput { readable = false }
                if state == .lingering {
                    lingeredBytes += count
                    if lingeredBytes > loop.configuration.lingerMaxBytes { close() }
                } else {
                    ingest(UnsafeBufferPointer(start: loop.readBytes, count: count))
                }
            case .wouldBlock:
                readable = false
            case .closed, .failed:
                close()
            }
        }
        armReadingTimeout()
    }

    /// While reading: the idle timeout between requests, the read timeout once a request has begun
    /// (started once, never extended by trickling bytes).
    private func armReadingTimeout() {
        guard state == .reading else { return }
        if isIdle, transport.isHandshaking, !loop.isDraining {
            // A TLS handshake is part of reading the first request: a slow one is closed.
            if timeoutKind != .read { loop.setTimeout(self, .read) }
            return
        }
        if isIdle {
            guard timeoutKind != .idle else { return }
            if loop.isDraining { close() } else { loop.setTimeout(self, .idle) }
        } else if timeoutKind != .read {
            loop.setTimeout(self, .read)
        }
    }

    private func ingest(_ bytes: UnsafeBufferPointer<UInt8>) {
        if isIdle { loop.setTimeout(self, .read) }  // the request's clock starts with its first byte
        if pending.isEmpty {
            let consumed = process(bytes)
            if consumed < bytes.count, state == .reading || state == .awaitingResponse || state == .writing {
                pending.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[consumed...]))
            }
        } else {
            pending.append(contentsOf: bytes)
            processPending()
        }
    }

    private func processPending() {
        var buffer: [UInt8] = []
        swap(&buffer, &pending)
        let consumed = buffer.withUnsafeBufferPointer { process($0) }
        guard state == .reading || state == .awaitingResponse || state == .writing else { return }
        if consumed < buffer.count {
            buffer.removeFirst(consumed)
            pending = buffer
        }
    }

    /// Feeds the parser until it needs more bytes or a request leaves the reading state.
    private func process(_ input: UnsafeBufferPointer<UInt8>) -> Int {
        isProcessing = true
        defer { isProcessing = false }
        var offset = 0
        while state == .reading {
            let step = parser.feed(UnsafeBufferPointer(rebasing: input[offset...]))
            offset += step.consumed
            guard let event = step.event else { break }
            switch event {
            case .head(let head): begin(head)
            case .request(let request): dispatch(request)
            case .failure(let error): reject(error)
            }
        }
        return offset
    }

    private func begin(_ head: HTTPRequestHead) {
        requestMethod = head.method
        requestVersion = head.version
        requestKeepAlive = head.keepAlive
        if let refusal = loop.handler.accept(head) {
            parser.reset()
            loop.clearTimeout(self)
            send(refusal, close: head.hasBody, linger: head.hasBody)
            return
        }
        if head.expectsContinue {
            let sent = ResponseSerializer.continueResponse.withUnsafeBytes {
                transport.write($0, UnsafeRawBufferPointer(start: nil, count: 0))
            }
            guard sent == .bytes(ResponseSerializer.continueResponse.count) else {
                close()
                return
            }
        }
        parser.startBody()
    }

    private func dispatch(_ request: HTTPRequest) {
        loop.clearTimeout(self)
        state = .awaitingResponse
        loop.counters.requests.add(1, ordering: .relaxed)
        responseSerial &+= 1
        let loop = self.loop, id = self.id, serial = responseSerial
        loop.handler.handle(request) { response in
            loop.submit(.response(connection: id, serial: serial, response))
        }
    }

    /// A response from the handler (possibly late, possibly duplicated — only the first counts).
    func deliver(_ response: HTTPResponse, serial: UInt64) {
        guard state == .awaitingResponse, serial == responseSerial else { return }
        if response.abortConnection {
            close()
            return
        }
        send(response)
    }

    private func reject(_ error: HTTPParseError) {
        loop.counters.reject(status: error.status)
        loop.clearTimeout(self)
        requestMethod = ""
        requestVersion = .http1_1
        send(error.response, close: true, linger: true)
    }

    // MARK: - Writing

    private func send(_ response: HTTPResponse, close: Bool = false, linger: Bool = false) {
        let shouldClose = close || response.closeConnection || !requestKeepAlive || loop.isDraining
        output.removeAll(keepingCapacity: true)
        let bodyFollows = ResponseSerializer.writeHead(
            response, requestMethod: requestMethod, requestVersion: requestVersion, close: shouldClose,
            date: loop.currentDate(), into: &output)
        outputBody = bodyFollows ? response.body : []
        outputOffset = 0
        closeAfterWrite = shouldClose
        lingerAfterWrite = linger
        state = .writing
        flush()
    }

    private func flush() {
        while state == .writing {
            let headCount = output.count
            guard outputOffset < headCount + outputBody.count else {
                finishWrite()
                return
            }
            let offset = outputOffset
            let result = output.withUnsafeBytes { head in
                outputBody.withUnsafeBytes { body in
                    let first = offset < headCount ? UnsafeRawBufferPointer(rebasing: head[offset...])
                                                   : UnsafeRawBufferPointer(start: nil, count: 0)
                    let second = offset <= headCount ? body : UnsafeRawBufferPointer(rebasing: body[(offset - headCount)...])
                    return transport.write(first, second)
                }
            }
            switch result {
            case .bytes(let count):
                outputOffset += count
            case .wouldBlock:
                if timeoutKind != .write { loop.setTimeout(self, .write) }
                return
            case .closed, .failed:
                close()
                return
            }
        }
    }

    private func finishWrite() {
        loop.clearTimeout(self)
        outputBody = []
        if closeAfterWrite {
            if lingerAfterWrite {
                transport.shutdownWrite()
                state = .lingering
                loop.setTimeout(self, .linger)
                if !isProcessing { readAvailable() }
            } else {
                close()
            }
            return
        }
        state = .reading
        guard !isProcessing else { return }  // the caller goes on with the bytes it holds, in order
        if !pending.isEmpty { processPending() }
        if state == .reading { readAvailable() }
    }

    // MARK: - Closing

    func close() {
        guard state != .closed else { return }
        state = .closed
        loop.clearTimeout(self)
        loop.remove(self)
        transport.close()
        pending = []
        output = []
        outputBody = []
    }
}
